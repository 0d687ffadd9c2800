"""The ten most used applications, printed from their ruled layouts (catalogs/default/forms,
kind: ruled): the title, each pre-filled value in the cell its label names, and the cells the
interview does not ask (口座, 喪主, 葬儀日, the dog) printed empty for the resident.

The look is checked against reference crops in ruled_forms/ (the header band and the body
of each form, at 100 dpi), compared as the IVS test compares glyphs. After an intended change
of a layout, write them with `MADOGUCHI_UPDATE_SNAPSHOTS=1` and look at them before committing.
"""

import os
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from printing.pdf import render_packet

from . import raster
from .fixtures import (
    DOBUTSU,
    HOKEN,
    SHIMIN,
    SUIDO,
    death_household,
    family_of_four,
    foreign_couple,
    many_movers,
    proc,
)

REFERENCES = Path(__file__).parent / "ruled_forms"
UPDATE = os.environ.get("MADOGUCHI_UPDATE_SNAPSHOTS") == "1"
DPI = 100
SAME = 0.04  # share of inked pixels that may differ between a crop and its reference


def _family():
    data = family_of_four()
    data.procedures += [
        proc("inkan_toroku", "mother", SHIMIN, "form", "印鑑登録申請書"),
        proc("suido_chushi", None, SUIDO, "form", "水道使用中止届"),
    ]
    return data


def _death():
    data = death_household()
    data.procedures += [
        proc("kokuho_sosaihi", "grandma", HOKEN, "form", "国民健康保険 葬祭費支給申請"),
        proc("inu_shoyusha", "grandma", DOBUTSU, "form", "犬の登録事項変更届（所有者の変更）"),
    ]
    return data


def _foreign():
    data = foreign_couple()
    data.procedures.append(proc("kokuho_kanyu", "b", HOKEN, "form", "国民健康保険 資格取得届"))
    return data


@pytest.fixture(scope="module")
def packets():
    return {"family": render_packet(_family()), "death": render_packet(_death()),
            "foreign": render_packet(_foreign())}  # fmt: skip


# form id → (packet, the form's title)
FORMS = {
    "kokuho_ido": ("foreign", "国民健康保険 被保険者資格取得・喪失届"),
    "jidoteate_nintei": ("family", "児童手当 認定請求書"),
    "kodomo_iryo": ("family", "子ども医療費受給資格証 交付申請書"),
    "kaigo_ido": ("family", "介護保険 資格取得・異動・喪失届"),
    "koki_ido": ("family", "後期高齢者医療 異動届"),
    "inkan_toroku": ("family", "印鑑登録申請書"),
    "mynacard_henko": ("family", "個人番号カード 継続利用・券面記載事項変更届"),
    "kokuho_sosaihi": ("death", "国民健康保険 葬祭費支給申請書"),
    "koki_sosaihi": ("death", "後期高齢者医療 葬祭費支給申請書"),
    "suido_chushi": ("family", "水道使用開始・中止届"),
    "inu_henko": ("death", "犬の登録事項変更届"),
    "hoiku": ("family", "保育施設等 利用申込書"),
}


def _page(packets, form_id):
    which, title = FORMS[form_id]
    pdf = packets[which]
    return pdf, raster.page_with(pdf, title, f"様式：{form_id}")


def _cell(words, label: str, until: str | None = None, nth: int = 0) -> list[str]:
    """The words printed in the cell right of `label` (its nth occurrence), up to the next
    label `until` on the same row, or to the right edge."""
    at = [w for w in words if w.text == label][nth]
    mid = (at.y0 + at.y1) / 2

    def same_row(w):
        return abs((w.y0 + w.y1) / 2 - mid) < 3

    right = min((w.x0 for w in words if w.text == until and same_row(w) and w.x0 > at.x1),
                default=10_000)  # fmt: skip
    return [w.text for w in sorted(words, key=lambda w: w.x0)
            if same_row(w) and at.x1 < w.x0 < right]  # fmt: skip


def _form(packets, form_id):
    pdf, n = _page(packets, form_id)
    return pdf, n, raster.page_words(pdf, n), raster.page_texts(pdf)[n - 1]


NO_DATE = ["令和", "年", "月", "日"]  # an empty date: only its 元号 and units
ACCOUNT_EMPTY = {("金融機関名", "支店名"): ["銀行・信用金庫・農協"], ("支店名", None): ["本店・支店"],
                 ("口座番号", None): [], ("口座名義（カナ）", None): []}  # fmt: skip


def _account_is_empty(words):
    for (label, until), want in ACCOUNT_EMPTY.items():
        assert _cell(words, label, until) == want, label
    assert _cell(words, "預金種別", "口座番号") == ["普通", "当座"]  # neither ticked


def test_kokuho_lists_the_household_under_its_head_and_leaves_the_previous_insurer(packets):
    pdf, n, words, text = _form(packets, "kokuho_ido")
    assert "（あて先）北見市長" in text and "様式第１号" in text
    assert _cell(words, "氏名", "生年月日") == ["NGUYEN", "VAN", "AN"]
    assert _cell(words, "電話番号", "個人番号") == ["０８０－１１１１－２２２２"]
    assert "TRAN THI BICH" in text and "１９９５年９月９日" in text  # a row of the table
    assert _cell(words, "記号・番号") == [] and _cell(words, "資格取得・喪失日", "備考") == NO_DATE
    assert raster.box_ticked(pdf, n, "資格取得") and not raster.box_ticked(pdf, n, "資格喪失")


def test_jidoteate_names_the_claimant_and_leaves_the_account_and_spouse(packets):
    pdf, n, words, text = _form(packets, "jidoteate_nintei")
    assert _cell(words, "氏名", "生年月日") == ["葛󠄀西", "辰治"]
    assert _cell(words, "生年月日") == ["昭和６３年５月１２日"]
    assert _cell(words, "配偶者の氏名") == []
    _account_is_empty(words)
    assert raster.box_ticked(pdf, n, "被用者保険") and raster.box_ticked(pdf, n, "転入")
    assert "請求者署名" in text and "請求日" in text


def test_kodomo_iryo_names_the_child_and_leaves_the_insurer_and_account(packets):
    pdf, n, words, _text = _form(packets, "kodomo_iryo")
    assert _cell(words, "氏名", "生年月日", nth=1) == ["葛󠄀西", "𠮷乃"]  # the child, second
    assert _cell(words, "続柄", "個人番号") == ["子"]
    assert _cell(words, "保険者名", "記号・番号") == [] and _cell(words, "記号・番号") == []
    _account_is_empty(words)
    assert raster.box_ticked(pdf, n, "被用者保険")


def test_kaigo_writes_the_insured_number_in_its_boxes(packets):
    pdf, n, words, _text = _form(packets, "kaigo_ido")
    assert _cell(words, "氏名", "生年月日") == ["葛󠄂西", "トメ"]
    assert "".join(_cell(words, "被保険者番号")) == "００００１２３４５６"
    assert _cell(words, "前住所") == ["北海道札幌市中央区北１条西２－１"]
    assert _cell(words, "異動日", "要介護認定") == ["令和８年４月１０日"]
    assert raster.box_ticked(pdf, n, "資格取得（転入）")


def test_koki_writes_the_insured_number_and_the_previous_address(packets):
    pdf, n, words, _text = _form(packets, "koki_ido")
    assert "".join(_cell(words, "被保険者番号")) == "１２３４５６７８"
    assert _cell(words, "前住所") == ["北海道札幌市中央区北１条西２－１"]
    assert _cell(words, "備考") == []
    assert raster.box_ticked(pdf, n, "転入") and not raster.box_ticked(pdf, n, "有")


def test_inkan_leaves_the_seal_and_the_proxy_empty(packets):
    pdf, n, words, text = _form(packets, "inkan_toroku")
    assert _cell(words, "氏名", "生年月日") == ["葛󠄀西", "美咲"]
    assert _cell(words, "代理人の氏名", "電話番号") == [] and _cell(words, "代理人の住所") == []
    assert _cell(words, "登録番号", "印鑑登録証") == []
    assert raster.box_ticked(pdf, n, "新規の登録") and "申請者署名" in text


def test_mynacard_keeps_the_card_after_tennyu_with_both_addresses(packets):
    pdf, n, words, text = _form(packets, "mynacard_henko")
    assert _cell(words, "新住所") == ["北海道北見市北４条東３－１２", "コーポ北見", "２０１"]
    assert _cell(words, "旧住所") == ["北海道札幌市中央区北１条西２－１"]
    assert _cell(words, "カードの有効期限", "電子証明書") == NO_DATE
    assert raster.box_ticked(pdf, n, "継続利用（転入届に伴う）")
    assert "暗証番号（数字４桁）は用紙に書かず" in text


@pytest.mark.parametrize("form_id", ["kokuho_sosaihi", "koki_sosaihi"])
def test_sosaihi_leaves_the_funeral_the_chief_mourner_and_the_account(packets, form_id):
    _pdf, _n, words, text = _form(packets, form_id)
    assert _cell(words, "氏名", "生年月日") == ["葛󠄂西", "トメ"]  # the deceased
    assert _cell(words, "死亡年月日") == ["令和８年６月２日"]
    assert _cell(words, "葬儀を行った日", "喪主の氏名") == NO_DATE
    assert _cell(words, "喪主の氏名") == [] and _cell(words, "葬儀を行った場所") == []
    _account_is_empty(words)
    assert "申請者（喪主）署名" in text.replace("\n", "") and "（喪主に" not in text
    if form_id == "koki_sosaihi":
        assert "".join(_cell(words, "被保険者番号", "死亡年月日")) == "１２３４５６７８"


def test_suido_names_the_dwelling_left_and_where_the_bill_goes(packets):
    pdf, n, words, _text = _form(packets, "suido_chushi")
    assert _cell(words, "使用場所") == ["北海道札幌市中央区北１条西２－１"]
    assert _cell(words, "お客様番号", "開始・中止日") == []
    assert _cell(words, "メーター指針", "立会い") == ["㎥"]
    assert raster.box_ticked(pdf, n, "使用中止") and not raster.box_ticked(pdf, n, "使用開始")


def test_inu_leaves_the_dogs_particulars_for_the_owner(packets):
    pdf, n, words, _text = _form(packets, "inu_henko")
    assert _cell(words, "氏名", "電話番号") == ["葛󠄂西", "トメ"]
    for label, until in (("犬の名前", "種類"), ("種類", None), ("毛色", "性別")):
        assert _cell(words, label, until) == [], label
    assert _cell(words, "生年月日", "不妊・去勢") == ["年", "月", "日"]
    assert _cell(words, "注射年月日", "マイクロ") == NO_DATE
    assert raster.box_ticked(pdf, n, "所有者の変更") and not raster.box_ticked(pdf, n, "オス")


def test_hoiku_leaves_the_preferred_nurseries_for_the_parent(packets):
    pdf, n, words, text = _form(packets, "hoiku")
    assert _cell(words, "氏名", "生年月日", nth=1) == ["葛󠄀西", "髙志"]
    column = (15 + 12 + 104) / 25.4 * 72  # where the 希望 cells end (mm → pt)
    for label in ("第１希望", "第２希望", "第３希望"):
        at = raster.find_word(words, label)
        inside = [w.text for w in words if at.x1 < w.x0 < column and at.y0 - 3 < w.y0 < at.y1]
        assert inside == [], label
    assert raster.box_ticked(pdf, n, "有") and not raster.box_ticked(pdf, n, "就労")
    assert "申込日" in text and "次のとおり申し込みます。" in text


# ---- the look: crops compared with their references


def _crops(pdf: bytes, n: int) -> dict[str, Image.Image]:
    """The header band (to the lead line) and the body (to the line above the signature)."""
    words = raster.page_words(pdf, n)
    scale = DPI / 72
    lead = next(w for w in words if w.text.startswith("次のとおり"))
    sign = raster.find_word(words, "上記のとおり相違ありません。")
    img = raster.page_image(pdf, n, DPI).point(lambda v: 255 if v < 128 else 0).convert("1")
    left, right = round(12 / 25.4 * DPI), round(198 / 25.4 * DPI)
    return {
        "header": img.crop((left, 0, right, round(lead.y1 * scale) + 2)),
        "body": img.crop((left, round(lead.y1 * scale) + 2, right, round(sign.y1 * scale) + 2)),
    }


def _differs(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        return 1.0
    return raster.dissimilarity(a, b, shift=1)


@pytest.mark.parametrize("form_id", sorted(FORMS))
def test_each_ruled_form_looks_like_its_reference(packets, form_id):
    pdf, n = _page(packets, form_id)
    REFERENCES.mkdir(exist_ok=True)
    for part, crop in _crops(pdf, n).items():
        path = REFERENCES / f"{form_id}-{part}.png"
        if UPDATE:  # stored black on white, as printed, for the eye that reviews them
            ImageOps.invert(crop.convert("L")).convert("1").save(path, optimize=True)
            continue
        assert path.exists(), f"no reference {path.name}: run with MADOGUCHI_UPDATE_SNAPSHOTS=1"
        d = _differs(crop, ImageOps.invert(Image.open(path).convert("L")).convert("1"))
        assert d <= SAME, f"{form_id} {part}: {d:.1%} of the ink differs from {path.name}"


def test_the_comparison_tells_two_forms_apart(packets):
    """The measure is not blind: the 介護 and 後期高齢 bodies, alike in structure, differ."""
    kaigo = _crops(*_page(packets, "kaigo_ido"))["body"]
    koki = _crops(*_page(packets, "koki_ido"))["body"]
    w, h = min(kaigo.size[0], koki.size[0]), min(kaigo.size[1], koki.size[1])
    assert _differs(kaigo.crop((0, 0, w, h)), koki.crop((0, 0, w, h))) > 4 * SAME


LONG = "DOS SANTOS OLIVEIRA MARIA APARECIDA FERNANDA"  # 43 characters


def test_a_long_name_goes_on_two_lines_inside_its_cell():
    data = family_of_four()
    data.person("father").name = LONG
    pdf = render_packet(data)
    n = raster.page_with(pdf, "児童手当 認定請求書", "様式：jidoteate_nintei")
    words = raster.page_words(pdf, n)
    label = raster.find_word(words, "氏名")
    right = next(w for w in words if w.text == "生年月日" and abs(w.y0 - label.y0) < 3)
    parts = [w for w in words if w.text in LONG.split() and label.y0 - 20 < w.y0 < label.y1 + 20]
    assert " ".join(w.text for w in sorted(parts, key=lambda w: (round(w.y0), w.x0))) == LONG
    assert all(label.x1 < w.x0 and w.x1 < right.x0 for w in parts)  # within the cell
    assert len({round(w.y0) for w in parts}) == 2 and min(w.size for w in parts) > 9


@pytest.mark.parametrize(
    "blocks, named",
    [
        (None, "blocks"),
        ([{"type": "box"}], "box"),
        ([{"type": "grid", "rows": [[{"label": "犬", "field": "person.dog_name"}]]}], "dog_name"),
        ([{"type": "grid", "rows": [[{"label": "犬", "align": "X"}]]}], "align"),
        ([{"type": "grid", "rows": [[{"label": "犬", "w": "wide"}]]}], "w は数値"),
        ([{"type": "table", "people": "dogs", "columns": ["犬"]}], "people"),
    ],
)
def test_a_mistake_in_a_ruled_template_is_refused_naming_it(blocks, named):
    from printing.templates_loader import TemplateError, parse_template

    with pytest.raises(TemplateError) as e:
        parse_template("inu", {"kind": "ruled", "blocks": blocks})
    assert named in str(e.value) and "inu" in str(e.value)


def test_a_household_larger_than_a_sheet_continues_on_the_next_one_without_overflow():
    from printing.layouts.generic import STAFF_TOP

    data = many_movers(30)
    data.procedures += [proc("kokuho_kanyu", p.key, HOKEN, "form", "国民健康保険 資格取得届")
                        for p in data.people]  # fmt: skip
    pdf = render_packet(data)
    pages = [n for n, t in enumerate(raster.page_texts(pdf), 1) if "様式：kokuho_ido" in t]
    assert len(pages) == 2 and "（つづき）" in raster.page_texts(pdf)[pages[1] - 1]
    surnames, bottom = 0, STAFF_TOP / 25.4 * 72
    for n in pages:
        rows = [w for w in raster.page_words(pdf, n) if w.text == "佐藤"]
        assert all(w.y1 < bottom for w in rows)  # above the 処理欄, never past the page
        surnames += len(rows)
    assert surnames == 30 + 1  # a row each, and the 世帯主 as 届出人


def test_a_move_out_prints_the_destination_where_a_move_in_prints_the_previous_address():
    data = family_of_four()
    data.move = "out"  # the same people leaving: 住所 is where they live now, then 転出先
    data.procedures = [proc("koki_tenshutsu", "grandma", HOKEN, "form", "後期高齢者医療 異動届",
                            form="koki_ido")]  # fmt: skip
    pdf = render_packet(data)
    n = raster.page_with(pdf, "様式：koki_ido")
    words = raster.page_words(pdf, n)
    assert _cell(words, "住所") == ["北海道札幌市中央区北１条西２－１"]
    assert _cell(words, "転出先") == ["北海道北見市北４条東３－１２", "コーポ北見", "２０１"]
    assert "前住所" not in [w.text for w in words]
    assert raster.box_ticked(pdf, n, "転出")
