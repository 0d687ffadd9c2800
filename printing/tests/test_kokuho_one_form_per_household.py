"""国民健康保険: one form per household, the 世帯主 as 届出人, every member who joins as a row."""

from printing.layouts import printable_forms
from printing.pdf import render_packet_with_fills

from . import raster
from .fixtures import HOKEN, family_of_four, foreign_couple, proc

TITLE = "国民健康保険 被保険者資格取得・喪失届"


def _joining(data, *keys):
    data.procedures += [proc("kokuho_kanyu", k, HOKEN, "form", "国民健康保険 資格取得届")
                        for k in keys]  # fmt: skip
    return data


def test_a_household_joining_together_gets_one_form_with_a_row_each():
    data = _joining(family_of_four(), "father", "mother", "child1", "child2")
    pdf, fills = render_packet_with_fills(data)
    assert [f.form for f in fills].count("kokuho_ido") == 1
    n = raster.page_with(pdf, TITLE, "提出先：")
    assert sum(TITLE in t for t in raster.page_texts(pdf)) == 1
    text = raster.page_texts(pdf)[n - 1]
    for name in ("辰治", "美咲", "𠮷乃", "髙志"):
        assert name in text
    assert "トメ" not in text  # 後期高齢: not joining
    assert raster.box_ticked(pdf, n, "資格取得") and raster.box_ticked(pdf, n, "転入")


def test_the_head_of_household_is_the_notifier_even_when_another_member_comes():
    data = _joining(family_of_four(), "mother", "child1")
    for p in data.people:
        p.applicant = p.key == "mother"
    pdf, _fills = render_packet_with_fills(data)
    n = raster.page_with(pdf, TITLE, "提出先：")
    words = raster.page_words(pdf, n)
    top = raster.find_word(words, "届出日").y0
    bottom = raster.find_word(words, "届出の種類").y0
    notifier = " ".join(w.text for w in words if top < w.y0 < bottom)
    assert "辰治" in notifier and "美咲" not in notifier
    assert "届出人（世帯主）署名" in raster.page_texts(pdf)[n - 1].replace("\n", "")


def test_the_foreign_couple_gets_one_form_for_both():
    data = _joining(foreign_couple(), "b")
    forms = [p for p in printable_forms(data) if p.form == "kokuho_ido"]
    assert len(forms) == 1 and forms[0].people == ["a", "b"] and forms[0].person is None


def test_joining_and_leaving_in_one_visit_are_two_forms():
    data = _joining(family_of_four(), "father")
    data.procedures.append(
        proc("kokuho_soshitsu", "mother", HOKEN, "form", "国民健康保険 資格喪失届")
    )
    assert [p.id for p in printable_forms(data) if p.form == "kokuho_ido"] == [
        "kokuho_kanyu", "kokuho_soshitsu",
    ]  # fmt: skip
