"""Forms carry their own reason checkboxes, the right one ticked from the procedure and the
visit's events; the rule's reasoning stays on the slip, and so does a title's guidance."""

from datetime import date

from printing.layouts.generic import chosen, form_title
from printing.pdf import render_packet
from printing.templates_loader import Option, load_templates

from . import raster
from .fixtures import HOKEN, death_household, family_of_four, foreign_couple, proc


def test_the_rules_reasoning_is_printed_on_the_slip_and_never_on_a_form():
    data = family_of_four()
    pdf = render_packet(data)
    texts = raster.page_texts(pdf)
    kaigo = raster.page_with(pdf, "介護保険 資格取得・異動・喪失届", "提出先：")
    assert "65歳以上で転入したため" not in texts[kaigo - 1]
    assert "65歳以上で転入したため" in texts[0] + texts[1]
    assert "申請の理由" not in texts[kaigo - 1].replace("\n", "")


def test_the_reason_box_of_the_procedure_and_event_is_ticked_and_no_other():
    pdf = render_packet(family_of_four())
    n = raster.page_with(pdf, "介護保険 資格取得・異動・喪失届", "提出先：")
    assert raster.box_ticked(pdf, n, "資格取得（転入）")
    assert not raster.box_ticked(pdf, n, "資格喪失（転出）")
    assert not raster.box_ticked(pdf, n, "資格喪失（死亡）")
    dog = raster.page_with(pdf, "犬の登録事項変更届", "提出先：")
    assert raster.box_ticked(pdf, dog, "所在地の変更（市外から）")
    assert not raster.box_ticked(pdf, dog, "所有者の変更")


def test_the_death_packet_ticks_death_on_the_koki_and_kaigo_forms():
    pdf = render_packet(death_household())
    koki = raster.page_with(pdf, "後期高齢者医療 異動届", "提出先：")
    assert raster.box_ticked(pdf, koki, "死亡") and not raster.box_ticked(pdf, koki, "転入")
    kaigo = raster.page_with(pdf, "介護保険 資格取得・異動・喪失届", "提出先：")
    assert raster.box_ticked(pdf, kaigo, "資格喪失（死亡）")


def test_the_pension_form_ticks_the_category_acquired_not_the_one_before():
    data = foreign_couple()
    for p in data.people:
        p.facts["pension_category"] = "none"  # 未加入 before: 第1号 from the event on
    data.procedures.append(proc("nenkin_shikaku", "a", HOKEN, "form", "国民年金 資格取得届",
                                deadline=date(2026, 10, 15)))  # fmt: skip
    pdf = render_packet(data)
    n = raster.page_with(pdf, "国民年金 被保険者資格取得届", "提出先：")
    assert raster.box_ticked(pdf, n, "第１号被保険者")  # the form's digits are full-width
    assert not raster.box_ticked(pdf, n, "任意加入被保険者")
    assert "未加入" not in raster.page_texts(pdf)[n - 1]
    assert raster.box_ticked(pdf, n, "海外からの転入")


def test_a_choice_the_data_cannot_decide_is_left_to_the_resident():
    data = family_of_four()
    grandma = data.person("grandma")
    options = [Option("額改定", facts=(("child_allowance_recipient", True),)), Option("その他")]
    p = proc("jidoteate_birth", "grandma", HOKEN, "form", "x")
    assert chosen(data, p, options) is None  # the fact is unknown: nothing ticked
    grandma.facts["child_allowance_recipient"] = False
    assert chosen(data, p, options) is None  # その他 has no condition: never ticked
    grandma.facts["child_allowance_recipient"] = True
    assert chosen(data, p, options) is options[0]


def test_a_form_prints_its_own_title_and_the_slip_keeps_the_guidance():
    data = death_household()
    pdf = render_packet(data)
    texts = raster.page_texts(pdf)
    n = raster.page_with(pdf, "様式：koki_sosaihi")
    assert "後期高齢者医療 葬祭費支給申請書" in texts[n - 1]
    assert "喪主に" not in texts[n - 1]
    assert "喪主に50,000円" in "".join("".join(texts[:2]).split())


def test_without_a_template_title_the_procedures_bracketed_guidance_is_left_off():
    p = proc("x", None, HOKEN, "form", "国民健康保険 葬祭費支給申請（喪主に50,000円）")
    assert form_title(p, None) == "国民健康保険 葬祭費支給申請"
    t = load_templates()["kokuho_sosaihi"]
    assert form_title(p, t) == t.title == "国民健康保険 葬祭費支給申請書"


def test_no_template_title_carries_guidance_to_the_resident():
    # Amounts, what to bring, who need not file: the slip's wording, never a form's name.
    guidance = ("円", "持参", "を添付", "を返却", "提出済み", "の方は", "喪主に")
    for t in load_templates().values():
        assert not any(g in t.title for g in guidance), (t.id, t.title)
