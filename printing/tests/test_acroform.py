"""AcroForm fields mapped by name: values drawn with the Japanese fonts, the fields flattened."""

import io

from pypdf import PdfReader

from printing.blanks import ACRO_FIELDS, acroform_sample
from printing.layouts.acroform import acroform_rects
from printing.pdf import render_single_form
from printing.templates_loader import parse_template

from . import raster
from .fixtures import KUZU_MJ, family_of_four

TEMPLATE = {
    "kind": "municipal",
    "generate": "acroform_sample",
    "fields": [
        {"acroform": "shimei", "field": "subject.name", "size": 14},
        {"acroform": "furigana", "field": "subject.kana", "size": 9},
        {"acroform": "jusho", "field": "address.full"},
        {"acroform": "seinengappi", "field": "subject.birth_date", "align": "C"},
        {"acroform": "shomei", "signature": True},
    ],
}


def _render():
    data = family_of_four()
    data.procedures = [p for p in data.procedures if p.person == "grandma" and p.kind == "form"][:1]
    return render_single_form(data, parse_template("acro", TEMPLATE))


def test_the_generated_blank_really_has_acroform_text_fields():
    reader = PdfReader(io.BytesIO(acroform_sample()))
    assert set(reader.get_fields()) == {name for name, *_ in ACRO_FIELDS}
    rects = acroform_rects(acroform_sample())
    page, x, y, w, h = rects["shimei"]
    assert page == 1 and abs(x - 52) < 0.01 and abs(y - 60) < 0.01 and abs(w - 143) < 0.01


def test_values_are_drawn_in_the_fields_rectangles_and_the_fields_are_flattened():
    pdf = _render()
    reader = PdfReader(io.BytesIO(pdf))
    assert "/AcroForm" not in reader.trailer["/Root"]
    assert not reader.get_fields()
    assert "/Annots" not in reader.pages[0]
    text = raster.page_texts(pdf)[0]
    assert f"{KUZU_MJ}西\u3000トメ" in text  # the Moji_Joho IVS kept, through the field map
    assert "昭和２６年３月３日" in text
    words = raster.page_words(pdf, 1)
    name = raster.find_word(words, f"{KUZU_MJ}西")
    assert 52 < name.x0 * 25.4 / 72 < 52 + 143 and 60 < name.y0 * 25.4 / 72 < 72


def test_the_values_use_the_japanese_fonts_not_the_forms_helvetica():
    reader = PdfReader(io.BytesIO(_render()))
    fonts = {
        str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert not any("Helv" in f for f in fonts)
    assert any("IPA" in f for f in fonts)
