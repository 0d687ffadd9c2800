"""Looking at printed pages as a reader would: poppler's raster and text boxes, compared with PIL."""

from __future__ import annotations

import html
import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

DPI = 200


@dataclass
class Word:
    text: str
    x0: float  # points, from the top-left corner as poppler reports them
    y0: float
    x1: float
    y1: float

    @property
    def size(self) -> float:
        return self.y1 - self.y0


def _write(pdf: bytes, tmp: Path) -> Path:
    path = tmp / "doc.pdf"
    path.write_bytes(pdf)
    return path


def page_image(pdf: bytes, page: int, dpi: int = DPI) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(pdf, Path(tmp))
        out = subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(path)],
            check=True,
            capture_output=True,
        ).stdout
    return Image.open(io.BytesIO(out)).convert("L")


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def page_words(pdf: bytes, page: int) -> list[Word]:
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(pdf, Path(tmp))
        out = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(path), "-"],
            check=True,
            capture_output=True,
        ).stdout.decode("utf-8")
    return [
        Word(html.unescape(m[5]), float(m[1]), float(m[2]), float(m[3]), float(m[4]))
        for m in _WORD.finditer(out)
    ]


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(pdf, Path(tmp))
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True
        ).stdout.decode("utf-8")


def find_word(words: list[Word], text: str) -> Word:
    for w in words:
        if w.text == text:
            return w
    raise AssertionError(f"{text!r} not on the page; words: {[w.text for w in words][:80]}")


def glyph_crop(img: Image.Image, word: Word, index: int = 0, dpi: int = DPI) -> Image.Image:
    """The em square of the index-th full-width character of a word, in black and white."""
    scale = dpi / 72
    size = word.size
    left = (word.x0 + index * size) * scale
    top = word.y0 * scale
    side = round(size * scale)
    box = (round(left), round(top), round(left) + side, round(top) + side)
    return img.crop(box).point(lambda v: 255 if v < 128 else 0).convert("1")


def ink(crop: Image.Image) -> int:
    return crop.histogram()[-1]


def dissimilarity(a: Image.Image, b: Image.Image, shift: int = 2) -> float:
    """Share of inked pixels that differ, at the best alignment within ±shift pixels.

    Crops taken from two renderings can sit a pixel apart (text positions round
    differently); the best shift removes that, leaving differences of shape.
    """
    best = 1.0
    w, h = a.size
    for dx in range(-shift, shift + 1):
        for dy in range(-shift, shift + 1):
            moved = ImageChops.offset(b, dx, dy)
            diff = ink(ImageChops.logical_xor(a, moved))
            union = ink(ImageChops.logical_or(a, moved)) or 1
            best = min(best, diff / union)
    return best


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text as pypdf extracts it (exact: IVS and U+3000 are kept)."""
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def _control(texts: list[str], size: float, x: float, y: float) -> bytes:
    from datetime import date

    from printing.fonts import get_fontset
    from printing.sheet import Sheet

    sheet = Sheet(get_fontset(), stamp="control", issued_on=date(2026, 4, 10), title="", author="")
    for text in texts:
        sheet.new_page()
        sheet.line_text(x, y, text, size)
    return bytes(sheet.output())


def controls_at(word: Word, texts: list[str], dpi: int = DPI) -> dict[str, Image.Image]:
    """Crops of each text's first glyph drawn where `word` is, at its size, one per page.

    A probe finds where the drawing routine puts a glyph box; the controls are then
    shifted so their boxes coincide with the target's to the hundredth of a point. Crops
    of the same glyph then match pixel for pixel, and any difference is one of shape.
    """
    mm = 25.4 / 72
    probe = _control(texts[:1], word.size, 30.0, 40.0)
    at = find_word(page_words(probe, 1), texts[0])
    x, y = 30.0 + (word.x0 - at.x0) * mm, 40.0 + (word.y0 - at.y0) * mm
    pdf = _control(texts, word.size, x, y)
    return {t: glyph_crop(page_image(pdf, n, dpi), word, 0, dpi) for n, t in enumerate(texts, 1)}


def embedded_glyph(pdf: bytes, page: int, char: str) -> tuple[str, int, int]:
    """(font name, glyph id, contour count) of the glyph the page uses for `char`.

    Follows the PDF's own maps: ToUnicode (code → text), CIDToGIDMap (code → glyph) and
    the embedded TrueType program, i.e. what a viewer draws, not what we meant to draw.
    """
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    target = char.encode("utf-16-be").hex().upper()
    fonts = PdfReader(io.BytesIO(pdf)).pages[page - 1]["/Resources"]["/Font"]
    for font in fonts.values():
        font = font.get_object()
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        for code, uni in re.findall(r"<([0-9A-F]+)> <([0-9A-F]+)>", cmap):
            if uni == target:
                cid = int(code, 16)
                desc = font["/DescendantFonts"][0].get_object()
                cid_to_gid = desc["/CIDToGIDMap"].get_object().get_data()
                gid = int.from_bytes(cid_to_gid[2 * cid : 2 * cid + 2], "big")
                program = desc["/FontDescriptor"]["/FontFile2"].get_object().get_data()
                tt = TTFont(io.BytesIO(program))
                glyph = tt["glyf"][tt.getGlyphName(gid)]
                return str(font["/BaseFont"]), gid, glyph.numberOfContours
    raise AssertionError(f"{char!r} is not in any font's ToUnicode on page {page}")


def page_with(pdf: bytes, *markers: str) -> int:
    """The first page (1-based) whose text holds every marker."""
    for n, text in enumerate(page_texts(pdf), start=1):
        if all(m in text for m in markers):
            return n
    raise AssertionError(f"no page holds {markers}")


def box_ticked(pdf: bytes, page: int, label: str, dpi: int = DPI) -> bool:
    """Whether the checkbox drawn just left of the word `label` (Sheet.choice) holds a tick:
    ink inside the box, its outline left out."""
    w = find_word(page_words(pdf, page), label)
    mm = dpi / 25.4
    scale = dpi / 72
    cy = (w.y0 + w.y1) / 2 * scale
    right = w.x0 * scale - 1.0 * mm  # Sheet.choice: box, 1 mm, label
    inner = (round(right - 2.4 * mm), round(cy - 0.9 * mm), round(right - 0.6 * mm),
             round(cy + 0.9 * mm))  # fmt: skip
    crop = page_image(pdf, page, dpi).crop(inner).point(lambda v: 255 if v < 128 else 0)
    return ink(crop.convert("1")) > 4
