"""An overlay on a city-style blank (printing.blanks.city_style, drawn by the project's code):
元号 circled among 明・大・昭・平・令, 年・月・日 in their boxes, one digit per box for 〒 and
電話, 男・女 circled. Checked on the rendered page as the IVS test does: crops of the filled
page compared with crops of the blank alone and with control glyphs."""

from dataclasses import replace

import pytest

from printing.blanks import CITY_ERAS, CITY_PHONE, CITY_SEX, CITY_ZIP, city_style
from printing.data import Fill
from printing.pdf import render_single_form
from printing.templates_loader import parse_template

from . import raster
from .city_blank import city_template
from .fixtures import family_of_four, foreign_couple

SAME = 0.05
DIFFERENT = 0.25
MM = raster.DPI / 25.4  # pixels per millimetre


def _grandma():
    data = family_of_four()  # 葛西 トメ, 昭和26年3月3日生, 女
    data.procedures = [p for p in data.procedures if p.person == "grandma" and p.kind == "form"][:1]
    return data


@pytest.fixture(scope="module")
def pages():
    pdf = render_single_form(_grandma(), parse_template("city", city_template()))
    return pdf, raster.page_image(pdf, 1), raster.page_image(city_style(), 1)


def _area(img, cx: float, cy: float, rx: float = 3.2, ry: float = 3.0):
    box = (round((cx - rx) * MM), round((cy - ry) * MM), round((cx + rx) * MM),
           round((cy + ry) * MM))  # fmt: skip
    return img.crop(box).point(lambda v: 255 if v < 128 else 0).convert("1")


def test_only_the_era_of_the_birth_date_is_circled(pages):
    _pdf, filled, empty = pages
    d = {
        era: raster.dissimilarity(_area(filled, *c), _area(empty, *c))
        for era, c in CITY_ERAS.items()
    }
    assert d["昭"] > DIFFERENT, d  # a ring drawn round 昭 on the blank
    assert all(d[e] < SAME for e in ("明", "大", "平", "令")), d
    assert raster.ink(_area(filled, *CITY_ERAS["昭"])) > raster.ink(_area(empty, *CITY_ERAS["昭"]))


def test_the_chosen_sex_is_circled_and_the_other_left_alone(pages):
    _pdf, filled, empty = pages
    woman = raster.dissimilarity(_area(filled, *CITY_SEX["2"]), _area(empty, *CITY_SEX["2"]))
    man = raster.dissimilarity(_area(filled, *CITY_SEX["1"]), _area(empty, *CITY_SEX["1"]))
    assert woman > DIFFERENT and man < SAME


def _box_x(spec: dict, i: int) -> float:
    before, group = 0, 0
    for g in spec["groups"]:
        if i < before + g:
            break
        before, group = before + g, group + 1
    return spec["x"] + i * spec["pitch"] + group * spec["gap"]


def _digits_in_boxes(pdf: bytes, spec: dict) -> str:
    """The characters whose centres fall in each of the spec's boxes, box by box."""
    words = raster.page_words(pdf, 1)
    out = []
    for i in range(spec["count"]):
        x0 = _box_x(spec, i)
        inside = [w.text for w in words
                  if x0 < (w.x0 + w.x1) / 2 / 72 * 25.4 < x0 + spec["w"]
                  and spec["y"] < (w.y0 + w.y1) / 2 / 72 * 25.4 < spec["y"] + spec["h"]]  # fmt: skip
        out.append("".join(inside) or "_")
    return "".join(out)


def test_each_digit_of_the_zip_and_the_phone_sits_in_its_own_box(pages):
    pdf, _filled, _empty = pages
    assert _digits_in_boxes(pdf, CITY_ZIP) == "０９００００２４"[:3] + "００２４"
    assert _digits_in_boxes(pdf, CITY_PHONE) == "０９０００００００００"
    # The blank's own 〒 is not written again, nor the hyphens between the groups.
    text = raster.page_texts(pdf)[0]
    assert text.count("〒") == 1


def test_the_digits_are_the_glyphs_themselves_drawn_in_the_boxes(pages):
    pdf, filled, _empty = pages
    words = [w for w in raster.page_words(pdf, 1) if w.text in "０２４９" and len(w.text) == 1]
    # The 〒 row's last box: ４, compared with control glyphs drawn at the same place.
    word = max((w for w in words if abs(w.y0 / 72 * 25.4 - CITY_ZIP["y"]) < 3), key=lambda w: w.x0)
    crop = raster.glyph_crop(filled, word)
    controls = raster.controls_at(word, ["４", "９"])
    assert raster.dissimilarity(crop, controls["４"]) < SAME
    assert raster.dissimilarity(crop, controls["９"]) > DIFFERENT


def test_the_date_parts_are_written_in_their_boxes(pages):
    pdf, _filled, _empty = pages
    words = raster.page_words(pdf, 1)
    birth = sorted((w for w in words if 86 < w.y0 / 72 * 25.4 < 94 and w.text in ("２６", "３")),
                   key=lambda w: w.x0)  # fmt: skip
    assert [w.text for w in birth] == ["２６", "３", "３"]
    for w, left in zip(birth, (92, 109, 124), strict=True):
        assert left < w.x0 / 72 * 25.4 and w.x1 / 72 * 25.4 < left + 11


def test_a_foreign_residents_date_is_circled_as_seireki_where_the_blank_offers_it():
    data = foreign_couple()
    t = city_template()
    t["fields"][3]["field"] = "applicant.birth_date"
    t["fields"][3]["era"]["西"] = [200, 20]  # a 西暦 mark, off the table
    t["fields"][3]["year"] = [92, 86, 14, 8]
    pdf = render_single_form(data, parse_template("city", t))
    assert "１９９３" in raster.page_texts(pdf)[0]  # NGUYEN VAN AN, born 1993
    img, empty = raster.page_image(pdf, 1), raster.page_image(city_style(), 1)
    assert raster.dissimilarity(_area(img, 200, 20), _area(empty, 200, 20)) > DIFFERENT
    assert raster.dissimilarity(_area(img, *CITY_ERAS["平"]), _area(empty, *CITY_ERAS["平"])) < SAME


def test_a_zip_in_a_text_box_can_leave_off_the_mark_the_blank_prints():
    t = {"kind": "municipal", "generate": "city_style", "fields": [
        {"field": "address.zip", "x": 60, "y": 108, "w": 40, "h": 8},
        {"field": "old_address.zip", "x": 110, "y": 108, "w": 40, "h": 8, "zip_mark": False}]}  # fmt: skip
    text = raster.page_texts(render_single_form(_grandma(), parse_template("z", t)))[0]
    assert "〒０９０－００２４" in text and "〒０６０－０００１" not in text
    assert "０６０－０００１" in text


def _drawn(data, t) -> Fill:
    from printing.fonts import get_fontset
    from printing.layouts import draw_form
    from printing.sheet import Sheet

    sheet = Sheet(get_fontset(), stamp="0", issued_on=data.issued_on, title="", author="")
    fill = Fill(t.id, data.procedures[0].id, "")
    draw_form(sheet, data, data.procedures[0], t, fill)
    return fill


def test_a_number_longer_than_its_boxes_is_left_for_the_resident_not_cut():
    data = replace(_grandma(), phone="090-1234-5678-9")
    t = parse_template("x", {"kind": "municipal", "generate": "city_style", "fields": [
        {"field": "visit.phone", "render": "digits", **CITY_PHONE}]})  # fmt: skip
    assert "１２３４" not in raster.page_texts(render_single_form(data, t))[0]
    fill = _drawn(data, t)
    assert (fill.prefilled, fill.to_write) == (0, 1)


def test_the_hand_written_boxes_count_as_filled_on_the_slip():
    fill = _drawn(_grandma(), parse_template("city", city_template()))
    # 届出日, フリガナ, 氏名, 生年月日, 性別, 〒, 住所, 電話: all known for トメ.
    assert (fill.prefilled, fill.to_write, fill.signatures) == (8, 0, 1)


@pytest.mark.parametrize("bad, message", [
    ({"render": "date_parts", "field": "subject.name"}, "日付の項目"),
    ({"render": "date_parts", "field": "subject.birth_date"}, "year・month・day"),
    ({"render": "date_parts", "field": "subject.birth_date", "year": [1, 1, 5, 5],
      "era": {"慶": [1, 1]}}, "慶"),
    ({"render": "digits", "field": "visit.phone", "x": 1, "y": 1}, "count"),
    ({"render": "digits", "field": "visit.phone", "count": 7, "pitch": 5, "groups": [3, 3]},
     "groups"),
    ({"render": "circle", "field": "subject.sex"}, "options"),
    ({"field": "subject.name", "algin": "C"}, "algin"),
    ({"field": "subject.name", "align": "X"}, "align 'X'"),
])  # fmt: skip
def test_a_hand_written_box_written_wrong_is_refused_with_what_is_wrong(bad, message):
    from printing.templates_loader import TemplateError

    with pytest.raises(TemplateError, match=message):
        parse_template("x", {"kind": "municipal", "generate": "city_style", "fields": [bad]})
