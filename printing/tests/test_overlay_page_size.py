"""A municipal blank keeps its own page size (A3, B4) in the packet, and the packet's QR code
and footer go where the template says, or are left off."""

import io

import pytest
from pypdf import PdfReader

from printing.blanks import city_style
from printing.pdf import render_packet, render_single_form
from printing.templates_loader import parse_template

from . import raster
from .city_blank import city_template
from .fixtures import family_of_four

A3, B4 = (297.0, 420.0), (257.0, 364.0)
MM = 72 / 25.4


def _sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    return [
        (round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def _template(tmp_path, size, **top):
    (tmp_path / "city.pdf").write_bytes(city_style(size))
    raw = city_template(**top)
    del raw["generate"]
    raw["background"] = "city.pdf"
    return parse_template("city", raw, tmp_path / "city.yaml")


def _grandma():
    data = family_of_four()
    data.procedures = [p for p in data.procedures if p.person == "grandma" and p.kind == "form"][:1]
    return data


@pytest.mark.parametrize("size", [A3, B4, (420.0, 297.0)], ids=["A3", "B4", "A3-landscape"])
def test_the_page_is_the_blanks_size_not_a4(tmp_path, size):
    pdf = render_single_form(_grandma(), _template(tmp_path, size))
    assert _sizes_mm(pdf) == [size]
    words = raster.page_words(pdf, 1)
    # The corner mark and the page number follow the page's own edges.
    number = raster.find_word(words, "0123")
    assert number.x1 / MM > size[0] - 15 - 13 - 5
    footer = raster.find_word(words, "1")
    assert footer.y0 / MM > size[1] - 15
    # The blank is laid under unscaled: its label is where the blank drew it.
    label = raster.find_word(words, "生年月日")
    assert abs(label.y0 / MM - 87.9) < 1.5


def test_in_a_packet_the_a3_form_keeps_a3_and_the_other_pages_keep_a4(tmp_path, monkeypatch):
    (tmp_path / "suido_kaishi.pdf").write_bytes(city_style(A3))
    (tmp_path / "suido_kaishi.yaml").write_text(
        "kind: municipal\ntitle: 水道使用開始届（A3）\nbackground: suido_kaishi.pdf\n"
        "fields:\n  - {field: applicant.name, x: 52, y: 70, w: 143, h: 14, size: 14}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("MADOGUCHI_FORMS_DIR", str(tmp_path))
    pdf = render_packet(family_of_four())
    sizes = _sizes_mm(pdf)
    n = raster.page_with(pdf, "各種届出書（市の様式）")
    assert sizes[n - 1] == A3
    assert sizes[: n - 1] + sizes[n:] == [(210, 297)] * (len(sizes) - 1)
    # Every page numbered at its own bottom, the A3 one included.
    words = raster.page_words(pdf, n)
    total = raster.find_word(words, str(len(sizes)))
    assert total.y0 / MM > 420 - 15


def _ink(img, x, y, w, h) -> int:
    k = raster.DPI / 25.4
    crop = img.crop((round(x * k), round(y * k), round((x + w) * k), round((y + h) * k)))
    return raster.ink(crop.point(lambda v: 255 if v < 128 else 0).convert("1"))


def test_the_qr_code_and_footer_go_where_the_template_says(tmp_path):
    t = _template(tmp_path, B4, stamp={"x": 200, "y": 300, "size": 15},
                  footer={"x": 20, "y": 345, "w": 217})  # fmt: skip
    pdf = render_single_form(_grandma(), t)
    img = raster.page_image(pdf, 1)
    assert _ink(img, 200, 300, 15, 15) > 2000  # the QR code, where the blank left room
    assert _ink(img, 257 - 15 - 13, 5, 13, 13) == 0  # not at the usual corner
    words = raster.page_words(pdf, 1)
    submit = next(w for w in words if w.text.startswith("提出先"))
    assert abs(submit.x0 / MM - 20) < 0.5 and abs(submit.y0 / MM - 345) < 2
    number = max((w for w in words if w.text == "1"), key=lambda w: w.x1)  # 「1 / 1」's total
    assert abs(number.x1 / MM - 237) < 0.5 and number.y0 / MM > 349


def test_the_qr_code_and_footer_can_be_left_off(tmp_path):
    pdf = render_single_form(_grandma(), _template(tmp_path, A3, stamp=False, footer=False))
    text = raster.page_texts(pdf)[0]
    assert "提出先" not in text and "0123" not in text and "1 / 1" not in text
    img = raster.page_image(pdf, 1)
    assert _ink(img, 297 - 15 - 13, 5, 13, 13) == 0
    assert "葛" in text  # the values are still there


@pytest.mark.parametrize("value", ["yes", {"x": 1}, {"x": "a", "y": 2}, {"y": 1, "size": 3}])
def test_a_stamp_or_footer_written_wrong_is_refused(value):
    from printing.templates_loader import TemplateError

    for key in ("stamp", "footer"):
        with pytest.raises(TemplateError, match=key):
            parse_template("x", {**city_template(), key: value})


def test_a_blank_stored_turned_is_printed_on_its_turned_page(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(city_style())))
    writer.pages[0].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    (tmp_path / "turned.pdf").write_bytes(out.getvalue())
    t = parse_template("turned", {"kind": "municipal", "background": "turned.pdf", "fields": [
        {"field": "subject.name", "x": 20, "y": 20, "w": 100, "h": 10}]}, tmp_path / "t.yaml")  # fmt: skip
    pdf = render_single_form(_grandma(), t)
    assert _sizes_mm(pdf) == [(297, 210)]
    assert not PdfReader(io.BytesIO(pdf)).pages[0].rotation
    words = raster.page_words(pdf, 1)
    # The blank's title, turned with its page, lies inside the landscape page.
    title = raster.find_word(words, "各種届出書（市の様式）")
    assert title.x1 / MM <= 297 and title.y1 / MM <= 210
    assert title.y1 - title.y0 > title.x1 - title.x0  # written down the page, as the blank is
