"""A municipal form: the department's blank underneath, the field map's values drawn over it."""

import io

from pypdf import PdfReader

from printing.blanks import blank
from printing.pdf import render_single_form
from printing.templates_loader import parse_template

from . import raster
from .fixtures import family_of_four, many_movers


def test_the_water_form_is_its_blank_with_the_values_in_the_boxes(family_pdf):
    texts = raster.page_texts(family_pdf)
    n = raster.page_with(family_pdf, "水道使用開始届", "使用場所")
    text = texts[n - 1]
    # The blank's own labels and the values drawn over them are on one page.
    for label in ("使用開始日", "使用者氏名", "前住所", "上下水道課処理欄"):
        assert label in text
    assert "葛󠄀西\u3000辰治" in text and "カサイ\u3000タツジ" in text
    assert "北海道札幌市中央区北１条西２－１" in text and "５人" in text
    words = raster.page_words(family_pdf, n)
    label, value = (
        raster.find_word(words, "使用場所"),
        raster.find_word(words, "北海道北見市北４条東３－１２"),
    )
    assert abs((label.y0 + label.y1) / 2 - (value.y0 + value.y1) / 2) < 2.5  # on the same row
    assert value.x0 * 25.4 / 72 > 52  # inside the value column of the blank


def test_a_long_address_shrinks_to_its_box_instead_of_running_over():
    data = family_of_four()
    data.new_address = {
        **data.new_address,
        "katagaki": "グランドメゾン北見駅前ステーションタワー北棟 3201号室",
    }
    t = parse_template("suido_kaishi", {"kind": "municipal", "generate": "suido_kaishi", "fields": [
        {"field": "address.full", "x": 52, "y": 74, "w": 143, "h": 14, "size": 12}]})  # fmt: skip
    data.procedures = [p for p in data.procedures if p.id == "suido_kaishi"]
    pdf = render_single_form(data, t)
    words = raster.page_words(pdf, 1)
    right = max(w.x1 for w in words if "北見市" in w.text or "号室" in w.text) * 25.4 / 72
    assert right <= 52 + 143 + 0.5


def test_the_blank_is_drawn_by_the_projects_code_and_is_the_same_every_time():
    a = blank.__wrapped__("suido_kaishi")
    assert a == blank.__wrapped__("suido_kaishi")
    assert len(PdfReader(io.BytesIO(a)).pages) == 1


def test_a_household_table_longer_than_its_rows_continues_on_a_continuation_sheet():
    from printing.pdf import render_packet

    data = many_movers(12)
    # A form for the whole household (not the 住民異動届, which has its own 続紙).
    data.procedures[0].id, data.procedures[0].form = "hitorioya_setai", "hitorioya_iryo"
    data.procedures[0].title = "ひとり親家庭等医療費 受給資格申請"
    texts = raster.page_texts(render_packet(data))
    forms = [t for t in texts if "提出先：" in t]
    main = [t for t in forms if "（続紙）" not in t]
    cont = [t for t in forms if "（続紙）" in t]
    assert len(main) == 1 and len(cont) == 1
    assert "以下続紙（ほか４名）" in main[0]
    assert all(f"佐藤\u3000{g}" in cont[0] for g in ("秋子", "冬子", "六郎", "七子"))
    assert "佐藤\u3000一郎" not in cont[0]
