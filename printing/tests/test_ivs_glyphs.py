"""A name's IVS sequence is drawn with the variant glyph, checked on the rendered page.

The first character of a name on the 住民異動届 is cropped from a 200 dpi raster and
compared with control glyphs drawn at the same size and position: plain 葛, 葛+U+E0100
(Adobe-Japan1) and 葛+U+E0102 (Moji_Joho).

What the fonts hold (found by rendering them): IPAex明朝's plain 葛 and IPAmj明朝's plain
葛 (= U+E0103) are the 「ヒ」 form; 葛+U+E0100 (IPAex) and 葛+U+E0102 (IPAmj) both name
the 「人」 form, so those two print the same shape from two fonts (their crops match).
The tests tell them apart by the font and glyph that draws each, and tell an MJ sequence
from the AJ1 one with 葛+U+E0104, whose shape differs.
"""

import dataclasses

import pytest

from lib.text import strip_variation_selectors
from printing.fonts import get_fontset
from printing.pdf import render_packet

from . import raster
from .fixtures import KUZU_AJ1, KUZU_MJ, YOSHI, family_of_four

SIZE = 12.5  # names print at 12.5pt in the 住民異動届's person rows (and its 届出人 line below)
SAME = 0.05  # at most this share of inked pixels differs between two crops of one glyph
DIFFERENT = 0.25  # at least this share differs between two different glyphs

PLAIN, AJ1, MJ, MJ_OTHER = "葛", KUZU_AJ1, KUZU_MJ, "葛\U000e0104"


def _idou_rows(pdf: bytes):
    """(page, page image, the person rows' name words top to bottom) of the 住民異動届."""
    page = raster.page_with(pdf, "住民異動届", "届出年月日")
    words = raster.page_words(pdf, page)
    rows = sorted(
        (w for w in words if w.text.startswith("葛") and abs(w.size - SIZE) < 0.01),
        key=lambda w: w.y0,
    )[:5]  # the five movers' rows; the 届出人 line under them repeats a name at that size
    assert [w.text[:2] for w in rows] == [AJ1] * 4 + [MJ] or all("葛" == w.text[0] for w in rows)
    return page, raster.page_image(pdf, page), rows, words


@pytest.fixture(scope="module")
def idou(family_pdf):
    return _idou_rows(family_pdf)


@pytest.fixture(scope="module")
def father(idou):
    _page, img, rows, _words = idou
    word = rows[0]
    return raster.glyph_crop(img, word), raster.controls_at(word, [PLAIN, AJ1, MJ, MJ_OTHER])


@pytest.fixture(scope="module")
def grandma(idou):
    _page, img, rows, _words = idou
    word = rows[4]
    return raster.glyph_crop(img, word), raster.controls_at(word, [PLAIN, AJ1, MJ, MJ_OTHER])


def test_the_rows_hold_the_names_with_their_selectors(idou):
    _page, _img, rows, _words = idou
    assert [w.text for w in rows] == [AJ1 + "西"] * 4 + [MJ + "西"]


def test_the_controls_show_the_variants_apart(father):
    _crop, c = father
    d = raster.dissimilarity
    assert d(c[PLAIN], c[AJ1]) > DIFFERENT
    assert d(c[PLAIN], c[MJ]) > DIFFERENT
    assert d(c[AJ1], c[MJ_OTHER]) > DIFFERENT
    assert d(c[MJ], c[MJ_OTHER]) > DIFFERENT
    # Two registries, one shape: Adobe-Japan1 E0100 and Moji_Joho E0102 are both 「人」.
    assert d(c[AJ1], c[MJ]) < DIFFERENT


def test_the_family_name_is_drawn_with_the_adobe_japan1_variant(father):
    crop, c = father
    assert raster.dissimilarity(crop, c[AJ1]) < SAME
    assert raster.dissimilarity(crop, c[PLAIN]) > DIFFERENT


def test_the_moji_joho_name_is_drawn_with_its_variant(grandma):
    crop, c = grandma
    assert raster.dissimilarity(crop, c[MJ]) < SAME
    assert raster.dissimilarity(crop, c[PLAIN]) > DIFFERENT
    assert raster.dissimilarity(crop, c[MJ_OTHER]) > DIFFERENT


def test_e0100_is_drawn_by_ipaex_and_e0102_by_ipamj(family_pdf, idou):
    page = idou[0]
    aj1_font, _gid, aj1_contours = raster.embedded_glyph(family_pdf, page, AJ1)
    mj_font, _gid, mj_contours = raster.embedded_glyph(family_pdf, page, MJ)
    assert "IPAexMincho" in aj1_font and aj1_contours > 0
    assert "IPAmjMincho" in mj_font and mj_contours > 0


def test_each_sequence_goes_to_the_font_whose_cmap14_has_it():
    fonts = get_fontset()
    assert [(f.family, t) for f, t in fonts.runs(AJ1 + "西", fonts.mincho)] == [
        ("mincho", AJ1 + "西")
    ]
    assert [(f.family, t) for f, t in fonts.runs(MJ + "西", fonts.mincho)] == [
        ("mj", MJ),
        ("mincho", "西"),
    ]


def test_a_packet_with_the_selectors_dropped_would_fail_these_checks(father, grandma):
    """Stripped names draw the plain glyph where the variants were: the checks catch it."""
    data = family_of_four()
    data.people = [
        dataclasses.replace(p, name=strip_variation_selectors(p.name)) for p in data.people
    ]
    data.household_head_name = strip_variation_selectors(data.household_head_name)
    data.old_household_head_name = strip_variation_selectors(data.old_household_head_name)
    _page, img, rows, _words = _idou_rows(render_packet(data))
    stripped_father = raster.glyph_crop(img, rows[0])
    stripped_grandma = raster.glyph_crop(img, rows[4])
    assert raster.dissimilarity(stripped_father, father[1][PLAIN]) < SAME
    assert raster.dissimilarity(stripped_father, father[1][AJ1]) > DIFFERENT
    assert raster.dissimilarity(stripped_grandma, grandma[1][MJ]) > DIFFERENT


def test_the_non_bmp_yoshi_is_drawn_with_a_real_glyph(family_pdf, idou):
    page, img, _rows, words = idou
    word = next(w for w in words if w.text.startswith(YOSHI))
    crop = raster.glyph_crop(img, word)
    c = raster.controls_at(word, [YOSHI, "吉"])
    font, gid, contours = raster.embedded_glyph(family_pdf, page, YOSHI)
    assert "IPAmjMincho" in font
    assert gid != 0 and contours > 0  # neither .notdef nor an empty glyph
    assert raster.ink(crop) > 100
    assert raster.dissimilarity(crop, c[YOSHI]) < SAME
    assert raster.dissimilarity(crop, c["吉"]) > 0.08  # 𠮷 (土) is not 吉 (士)
