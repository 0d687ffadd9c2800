"""The 住民異動届 prints the legal items of each mover (resident-record.md): 本籍・筆頭者,
住民票コード, 法30条の45区分, the card's 記載事項変更, and how the 転出 was closed."""

import subprocess

from printing import dictionary as dd
from printing.pdf import render_packet

from .fixtures import family_of_four, foreign_couple


def _idou_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode()  # fmt: skip
    return next(t for t in out.split("\f") if "届出年月日" in t)


def test_a_movers_honseki_hittosha_and_juminhyo_code_are_printed_in_their_boxes():
    data = family_of_four()
    data.people[0].facts.update(honseki="北海道北見市北進町１丁目１番地", hittosha="葛西　辰治",
                                juminhyo_code="12345678901")  # fmt: skip
    page = _idou_text(render_packet(data))
    assert "北海道北見市北進町１丁目１番地" in page
    assert "１２３４５６７８９０１" in page
    line = next(ln for ln in page.splitlines() if "北進町" in ln)
    assert "本籍" in line and "筆頭者" in line and "葛西" in line and "住民票コード" in line


def test_unknown_items_print_blank_boxes_never_a_dash():
    page = _idou_text(render_packet(foreign_couple()))
    assert page.count("本籍") == 1  # the empty row's boxes only: foreign movers have none
    assert "法３０条の４５区分" in page and "住民票コード" in page  # labels follow the form too
    assert "—" not in page


def test_a_foreign_residents_section_30_45_and_furigana_print_when_given():
    data = foreign_couple()
    data.people[0].facts["section_30_45"] = "中長期在留者"
    data.people[1].name_kana = "チャン　ティ　ビック"
    page = _idou_text(render_packet(data))
    assert "中長期在留者" in page
    assert "チャンティビック" in "".join(page.split())


def test_the_tennyu_document_is_offered_only_for_a_move_from_another_municipality():
    data = family_of_four()
    data.household_facts["tennyu_document"] = "tokurei"
    page = _idou_text(render_packet(data))
    assert "転出証明書" in page and "特例転入（マイナンバーカード）" in page
    assert dd.render("household.tennyu_document", dd.Ctx(data)) == "特例転入（マイナンバーカード）"
    assert "特例転入" not in _idou_text(render_packet(foreign_couple()))  # from abroad


def test_a_card_holder_moving_in_has_the_cards_kisai_jiko_henko_ticked():
    data = family_of_four()
    father, child = data.people[0], data.people[2]
    assert father.has_mynumber_card is True and child.has_mynumber_card is False
    assert dd.value("person.mynumber_card_change", dd.Ctx(data, None, father)) is True
    assert dd.value("person.mynumber_card_change", dd.Ctx(data, None, child)) is None or not (
        dd.value("person.mynumber_card_change", dd.Ctx(data, None, child))
    )
    data.move = "out"
    assert not dd.value("person.mynumber_card_change", dd.Ctx(data, None, father))
    assert "記載事項変更" in _idou_text(render_packet(family_of_four()))


def test_the_idou_todoke_writes_every_digit_full_width_as_it_declares():
    data = family_of_four()
    data.people[0].facts.update(honseki="北海道北見市北進町1丁目1番地", juminhyo_code="12345678901")
    page = _idou_text(render_packet(data))
    # The corner mark (受付番号) and the page number are the packet's, not the form's.
    body = [ln for ln in page.splitlines()[2:] if not ln.strip().replace(" ", "").count("/")]
    assert not any(ch.isascii() and ch.isdigit() for ln in body for ch in ln), body
    assert "０９０－００００－００００" in page or "０９０-００００-００００" in page
