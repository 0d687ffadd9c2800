"""A 43-letter name (DOS SANTOS OLIVEIRA MARIA APARECIDA FERNANDA) on every form: on two
lines at 7 pt or more where one line would not fit, each word inside its ruled cell.

The cells are the rectangles the renderer draws (`re` in the content stream); the words
and their boxes are what pdftotext -bbox reads from the printed PDF.
"""

import re
import subprocess
from html import unescape

import pytest
from pypdf import PdfReader

from printing.data import Fill
from printing.fonts import get_fontset
from printing.layouts.generic import draw as draw_generic
from printing.layouts.idou import draw_idou
from printing.layouts.municipal import draw_municipal, underlay
from printing.pdf import render_packet
from printing.sheet import Sheet
from printing.templates_loader import load_templates

from .fixtures import family_of_four, foreign_couple, proc
from .test_snapshots import FORMS, HOUSEHOLD_FORMS, SHIMIN

LONG = "DOS SANTOS OLIVEIRA MARIA APARECIDA FERNANDA"  # issue 13's example, spaces and all
WORDS = ("SANTOS", "OLIVEIRA", "APARECIDA", "FERNANDA")


def _long_family():
    data = family_of_four()
    for p in data.people:
        if p.key in ("father", "grandma"):
            p.name = LONG
    data.household_head_name = LONG
    return data


def _every_template(data) -> bytes:
    pdf = Sheet(get_fontset(), stamp=data.visit_number, issued_on=data.issued_on, title="t",
                author=data.municipality)  # fmt: skip
    for form_id, t in sorted(load_templates(FORMS).items()):
        person = None if form_id in HOUSEHOLD_FORMS else "grandma"
        p = proc(form_id, person, SHIMIN, "form", t.title, reason="見本", form=form_id)
        if t.kind == "dedicated":
            draw_idou(pdf, data)
        elif t.kind == "municipal":
            draw_municipal(pdf, data, p, t, Fill(form_id, form_id, ""))
        elif t.kind == "generic":
            draw_generic(pdf, data, p, t, Fill(form_id, form_id, ""))
    out = bytes(pdf.output())
    return underlay(out, pdf.backgrounds) if pdf.backgrounds else out


def _words(pdf: bytes) -> list[list[tuple[str, float, float, float, float]]]:
    html = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()  # fmt: skip
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([
            (unescape(m[4]), float(m[0]), float(m[1]), float(m[2]), float(m[3]))
            for m in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                page)
        ])  # fmt: skip
    return pages


def _cells(page) -> list[tuple[float, float, float, float]]:
    """The page's rectangles, top-left origin in points like pdftotext's."""
    height = float(page.mediabox.height)
    out = []
    for operands, op in page.get_contents().operations:
        if op == b"re":
            x, y, w, h = (float(v) for v in operands)
            x0, x1, y0, y1 = min(x, x + w), max(x, x + w), min(y, y + h), max(y, y + h)
            if x1 - x0 > 5 and y1 - y0 > 5:  # cells, not QR modules or ticks
                out.append((x0, height - y1, x1, height - y0))
    return out


def _check(pdf: bytes) -> int:
    reader = PdfReader(__import__("io").BytesIO(pdf))
    checked = 0
    for n, (words, page) in enumerate(zip(_words(pdf), reader.pages, strict=True), start=1):
        cells = _cells(page)
        for text, x0, y0, x1, y1 in words:
            if not any(w in text for w in WORDS):
                continue
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            around = [c for c in cells if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]]
            assert around, f"page {n}: 「{text}」 is in no cell"
            cell = min(around, key=lambda c: (c[2] - c[0]) * (c[3] - c[1]))
            tol = 0.3
            assert cell[0] - tol <= x0 and x1 <= cell[2] + tol, (n, text, (x0, x1), cell)
            assert cell[1] - tol <= y0 and y1 <= cell[3] + tol, (n, text, (y0, y1), cell)
            assert y1 - y0 >= 6.9, f"page {n}: 「{text}」 printed below 7 pt ({y1 - y0:.1f})"
            # Nothing else printed under it (the 本人・世帯主・代理人 choices beside a name).
            for other, ox0, oy0, ox1, oy1 in words:
                if (ox0, oy0) != (x0, y0) and ox0 < x1 - tol and x0 < ox1 - tol \
                        and oy0 < y1 - tol and y0 < oy1 - tol:  # fmt: skip
                    raise AssertionError(f"page {n}: 「{text}」 overlaps 「{other}」")
            checked += 1
    return checked


@pytest.mark.parametrize("make", [_long_family, foreign_couple])
def test_a_43_letter_name_stays_inside_its_cells_on_every_form_of_the_packet(make):
    data = make()
    if make is foreign_couple:
        data.people[0].name = LONG
        data.household_head_name = LONG
    assert _check(render_packet(data)) >= 8


def test_a_43_letter_name_stays_inside_its_cells_on_every_form_template():
    assert _check(_every_template(_long_family())) >= 40


def test_a_name_too_long_for_one_line_at_7_pt_goes_onto_two_lines_not_smaller():
    data = family_of_four()
    pdf = Sheet(get_fontset(), stamp="1", issued_on=data.issued_on, title="t", author="t")
    size, lines = pdf.name_lines(LONG, 40.0, 8.0, 12.0)
    assert len(lines) == 2 and size >= 7.0
    assert all(pdf.measure(ln, size) <= 40.01 for ln in lines)
    assert pdf.name_lines("葛西　辰治", 40.0, 8.0, 12.0) == (12.0, ["葛西　辰治"])
