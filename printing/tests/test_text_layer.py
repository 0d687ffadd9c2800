"""Names, kana and dates are in the PDF's text layer exactly, for search and for reading aloud.

pypdf's extraction keeps what was stored: the IVS selector after 葛 and the U+3000
between 氏 and 名. poppler's pdftotext keeps the selector too but widens U+3000 into
spaces in layout mode, so exact name checks use pypdf.
"""

import pytest

from . import raster
from .fixtures import KUZU_AJ1, KUZU_MJ, YOSHI, family_people


@pytest.fixture(scope="module")
def text(family_pdf) -> str:
    return "\n".join(raster.page_texts(family_pdf))


def test_every_name_is_extractable_exactly_with_its_selector(text):
    for person in family_people():
        assert person.name in text, person.key
    assert f"{KUZU_AJ1}西\u3000辰治" in text
    assert f"{KUZU_MJ}西\u3000トメ" in text
    assert f"{KUZU_AJ1}西\u3000{YOSHI}乃" in text


def test_the_selector_stays_attached_to_its_base(text):
    assert "葛\U000e0100" in text and "葛\U000e0102" in text
    assert "\U000e0100" not in text.replace("葛\U000e0100", "")
    assert "\U000e0102" not in text.replace("葛\U000e0102", "")


def test_the_kana_are_extractable(text):
    for person in family_people():
        assert person.name_kana in text, person.key


def test_the_guidance_slip_dates_are_in_wareki(family_pdf):
    slip = raster.page_texts(family_pdf)[0]
    assert "令和8年4月10日" in slip  # 発行日 and 異動日
    assert "令和8年4月24日まで" in slip  # the 14-day deadline of the 転入届


def test_the_forms_print_dates_in_wareki_with_full_width_digits(text):
    assert "令和８年４月１０日" in text  # 届出年月日
    assert "昭和６３年５月１２日" in text  # father, 1988-05-12
    assert "平成２年８月３日" in text  # mother, 1990-08-03
    assert "平成３０年６月２０日" in text  # 𠮷乃, 2018-06-20
    assert "令和４年１月１５日" in text  # 髙志, 2022-01-15
    assert "昭和２６年３月３日" in text  # grandmother, 1951-03-03


def test_pdftotext_also_reads_the_selectors(family_pdf):
    plain = raster.pdf_text(family_pdf)
    assert f"{KUZU_AJ1}西" in plain and f"{KUZU_MJ}西" in plain and f"{YOSHI}乃" in plain
