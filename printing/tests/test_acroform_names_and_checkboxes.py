"""AcroForm fields by their full dotted names; two fields of one name refused, never one picked
in silence; checkboxes ticked with the appearance the PDF defines for its on-state."""

import io

import pytest
from pypdf import PdfReader

from printing.layouts.acroform import acroform_rects, duplicates, widgets
from printing.pdf import render_single_form
from printing.templates_loader import FormError, parse_template

from . import raster
from .acro_blanks import build
from .fixtures import family_of_four

NESTED = [
    {"name": "applicant.name", "rect": (52, 70, 70, 14)},
    {"name": "spouse.name", "rect": (125, 70, 70, 14)},
    {"name": "applicant.home.address", "rect": (52, 118, 143, 16)},
    {"name": "card", "type": "check", "rect": (150, 98, 5, 5), "on": "Kibou"},
]


def _data(person: str):
    data = family_of_four()
    data.procedures = [p for p in data.procedures if p.person == person and p.kind == "form"][:1]
    return data


def _render(tmp_path, blank: bytes, fields: list, person="father") -> bytes:
    (tmp_path / "acro.pdf").write_bytes(blank)
    t = parse_template("acro", {"kind": "municipal", "background": "acro.pdf", "fields": fields},
                       tmp_path / "acro.yaml")  # fmt: skip
    return render_single_form(_data(person), t)


def _mm(w):
    return w.x0 * 25.4 / 72, w.y0 * 25.4 / 72


def test_nested_fields_are_known_by_their_full_dotted_names():
    names = {w.name for w in widgets(build(NESTED))}
    assert names == {"applicant.name", "spouse.name", "applicant.home.address", "card"}
    page, x, y, _w, _h = acroform_rects(build(NESTED))["spouse.name"]
    assert (page, round(x), round(y)) == (1, 125, 70)


def test_a_value_goes_into_the_field_its_full_name_says(tmp_path):
    pdf = _render(tmp_path, build(NESTED), [
        {"acroform": "spouse.name", "field": "subject.name", "size": 12},
        {"acroform": "address", "field": "address.line"},  # a last part only one field has
    ])  # fmt: skip
    words = raster.page_words(pdf, 1)
    x, y = _mm(next(w for w in words if w.text.startswith("葛") and w.size > 11))
    assert 125 <= x < 195 and 70 <= y < 84  # spouse.name's rectangle, not applicant.name's
    x, y = _mm(next(w for w in words if w.text.startswith("北海道北見市")))
    assert 52 <= x and 118 <= y < 134
    assert "/AcroForm" not in PdfReader(io.BytesIO(pdf)).trailer["/Root"]


def test_a_last_part_two_fields_share_is_refused_naming_both(tmp_path):
    with pytest.raises(FormError, match="applicant.name・spouse.name"):
        _render(tmp_path, build(NESTED), [{"acroform": "name", "field": "subject.name"}])


def test_two_fields_of_one_name_are_an_error_not_a_silent_collision(tmp_path):
    blank = build([{"name": "shimei", "rect": (52, 70, 70, 14)},
                   {"name": "shimei", "rect": (52, 118, 143, 16)}])  # fmt: skip
    assert duplicates(blank) == {"shimei": [1, 1]}
    with pytest.raises(FormError, match="「shimei」が2つ以上") as e:
        _render(tmp_path, blank, [{"acroform": "shimei", "field": "subject.name"}])
    assert "acro" in str(e.value)  # the form is named


def _box_ink(pdf: bytes, x, y, w, h) -> int:
    k = raster.DPI / 25.4
    img = raster.page_image(pdf, 1)
    crop = img.crop((round((x + 0.8) * k), round((y + 0.8) * k), round((x + w - 0.8) * k),
                     round((y + h - 0.8) * k)))  # fmt: skip
    return raster.ink(crop.point(lambda v: 255 if v < 128 else 0).convert("1"))


def test_a_checkbox_is_ticked_with_the_on_state_the_pdf_defines(tmp_path):
    fields = [{"acroform": "card", "field": "subject.mynumber_card"}]
    has_card = _render(tmp_path, build(NESTED), fields, person="father")
    assert _box_ink(has_card, 150, 98, 5, 5) > 300  # the PDF's own /Kibou appearance, drawn
    no_card = _render(tmp_path, build(NESTED), fields, person="child1")
    assert _box_ink(no_card, 150, 98, 5, 5) == 0
    reader = PdfReader(io.BytesIO(has_card))
    assert "/Annots" not in reader.pages[0] and not reader.get_fields()  # flattened


def test_a_radio_group_ticks_the_button_whose_on_state_is_the_value(tmp_path):
    blank = build([{"name": "card", "type": "radio",
                    "kids": [("true", (150, 98, 5, 5)), ("false", (165, 98, 5, 5))]}])  # fmt: skip
    fields = [{"acroform": "card", "field": "subject.mynumber_card"}]
    yes = _render(tmp_path, blank, fields, person="father")
    assert _box_ink(yes, 150, 98, 5, 5) > 300 and _box_ink(yes, 165, 98, 5, 5) == 0
    no = _render(tmp_path, blank, fields, person="child1")
    assert _box_ink(no, 150, 98, 5, 5) == 0 and _box_ink(no, 165, 98, 5, 5) > 300


def test_a_field_on_a_page_stored_turned_is_refused_not_misplaced(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(build(NESTED))))
    writer.pages[0].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(FormError, match="回転したページ"):
        _render(tmp_path, out.getvalue(), [{"acroform": "spouse.name", "field": "subject.name"}])
