"""戸籍 届書 are never printed as a look-alike sheet: the slip says they are written at the 戸籍
counter, with what to bring; the 在留カード notice is made by the 転入届 and is not printed either."""

from datetime import date

from printing.pdf import render_packet, render_packet_with_fills
from printing.slip import not_printed
from printing.templates_loader import load_templates

from . import raster
from .fixtures import SHIMIN, death_household, family_of_four, foreign_couple, proc

KOSEKI = {"konin_todoke": "婚姻届", "shussei_todoke": "出生届", "shibo_todoke": "死亡届",
          "rikon_todoke": "離婚届", "yoshi_todoke": "養子縁組届"}  # fmt: skip


def _with_koseki():
    data = family_of_four()
    data.procedures += [
        proc(form_id, None, SHIMIN, "form", title, deadline=date(2026, 4, 16),
             bring=["届出人の本人確認書類"], reason="見本の理由")
        for form_id, title in KOSEKI.items()
    ]  # fmt: skip
    return data


def test_no_koseki_todoke_is_printed_and_none_is_counted_as_a_form():
    data = _with_koseki()
    pdf, fills = render_packet_with_fills(data)
    text = raster.pdf_text(pdf)
    for form_id in KOSEKI:
        assert f"様式：{form_id}" not in text
        assert form_id not in {f.form for f in fills}
    assert len(fills) == 12  # as without them: the 住民異動届 and eleven forms


def test_the_slip_says_each_koseki_todoke_is_written_at_the_counter_with_what_to_bring():
    data = _with_koseki()
    pdf = render_packet(data)
    texts = raster.page_texts(pdf)
    slip = "".join("".join(texts[: raster.page_with(pdf, "届出年月日") - 1]).split())
    for title in KOSEKI.values():
        assert f"{title}はA3の法定様式" in slip
    assert slip.count("窓口で記入") >= len(KOSEKI)
    assert "戸籍の窓口" in slip and "届出人の本人確認書類" in slip


def test_the_death_packet_leaves_the_shibo_todoke_to_the_slip():
    pdf = render_packet(death_household())
    text = raster.pdf_text(pdf)
    assert "様式：shibo_todoke" not in text
    assert "死亡届はA3の法定様式" in "".join(raster.page_texts(pdf)[0].split())


def test_the_zairyu_card_notice_is_not_printed_and_the_slip_says_the_tennyu_todoke_makes_it():
    data = foreign_couple()
    assert any(p.id == "zairyu_card" for p in data.procedures)
    pdf, fills = render_packet_with_fills(data)
    assert "zairyu_card" not in {f.form for f in fills}
    assert "様式：zairyu_card" not in raster.pdf_text(pdf)
    slip = "".join(raster.page_texts(pdf)[0].split())
    assert "住居地の届出をしたものとみなされます" in slip
    assert "転入届と同時" in slip


def test_every_koseki_todoke_template_is_slip_only_with_a_note():
    templates = load_templates()
    for form_id in (*KOSEKI, "konshi_zokusho", "zairyu_card"):
        t = templates[form_id]
        assert t.kind == "slip_only" and t.note, form_id
        assert not_printed(proc(form_id, None, SHIMIN, "form", "x")) is t
