"""児童手当 認定請求書: the 請求者 is the parent who claims it, the 児童 table only the law's 児童."""

from datetime import date

from printing.data import PersonData
from printing.pdf import render_packet

from . import raster
from .fixtures import family_of_four

TITLE = "児童手当 認定請求書"


def _words_between(pdf: bytes, page: int, top: str, bottom: str) -> list[str]:
    words = raster.page_words(pdf, page)
    y0 = raster.find_word(words, top).y0
    y1 = raster.find_word(words, bottom).y0
    return [w.text for w in words if y0 - 1 <= w.y0 < y1 - 1]


def _packet():
    data = family_of_four()
    # The mother comes to the counter; the father, the main earner, claims the allowance.
    for p in data.people:
        p.applicant = p.key == "mother"
    data.people += [
        # Reaches 18 on 2026-04-01: a 児童 until 2027-03-31, so on 2026-04-10 too.
        PersonData("eldest", "葛西\u3000一郎", "カサイ\u3000イチロウ", date(2008, 4, 2), "1", "子"),
        # Reached 18 on 2025-03-31: no longer a 児童 after that day.
        PersonData("grown", "葛西\u3000次郎", "カサイ\u3000ジロウ", date(2007, 4, 1), "1", "子"),
    ]
    return data, render_packet(data)


def test_the_child_table_lists_only_children_to_the_march_31_after_they_turn_18():
    _data, pdf = _packet()
    n = raster.page_with(pdf, TITLE, "提出先：")
    rows = " ".join(_words_between(pdf, n, "同居・別居", "金融機関名"))
    for given in ("𠮷乃", "髙志", "一郎"):
        assert given in rows
    for not_a_child in ("辰治", "美咲", "トメ", "次郎"):  # claimant, spouse, grandmother, 19
        assert not_a_child not in rows


def test_the_claimant_is_the_main_earner_not_the_one_at_the_counter():
    _data, pdf = _packet()
    n = raster.page_with(pdf, TITLE, "提出先：")
    claimant = " ".join(_words_between(pdf, n, "請求日", "請求の種類"))
    assert "辰治" in claimant and "美咲" not in claimant
    assert "請求者署名" in raster.page_texts(pdf)[n - 1]


def test_without_a_claimant_the_applicant_claims():
    data = family_of_four()
    proc = next(p for p in data.procedures if p.id == "jidoteate_nintei")
    proc.person = None
    pdf = render_packet(data)
    n = raster.page_with(pdf, TITLE, "提出先：")
    assert "辰治" in " ".join(_words_between(pdf, n, "請求日", "請求の種類"))
    rows = " ".join(_words_between(pdf, n, "同居・別居", "金融機関名"))
    assert "𠮷乃" in rows and "辰治" not in rows and "美咲" not in rows
