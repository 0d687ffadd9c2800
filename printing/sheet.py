"""Drawing primitives for A4 forms: text in font runs, wrapping, ruled boxes, checkboxes, QR.

Every piece of text goes through `FontSet.runs`, so each character cluster is drawn with
a font that has it (an IVS base and its selector stay in one run) and a character no font
has stops the render with a message naming whose text it was.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, time, timedelta, timezone

import segno
from fpdf import FPDF
from fpdf.enums import PDFResourceType
from fpdf.output import OutputProducer

from lib.text import digits_as

from .fonts import FontFace, FontSet, clusters

PT = 25.4 / 72  # millimetres per point
_SHAPING = {"features": {}, "fragment_direction": None, "script": None, "language": None}
JST = timezone(timedelta(hours=9))

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 15.0
CONTENT_W = PAGE_W - 2 * MARGIN

THIN, RULE = 0.15, 0.25
NAME_LEADING = 1.15  # a name on two lines: close, so both fit the box
SHADE = (232, 232, 232)
LIGHT = (245, 245, 245)

# Kinsoku: these may not begin a line (they stick to what precedes them)…
NO_LINE_START = set(
    "、。，．・：；？！ー～ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ）」』】〕〉》］｝,.)]}:;!?%"
)
# …and these may not end one.
NO_LINE_END = set("（「『【〔〈《［｛([{〒")


def _tokens(text: str) -> list[str]:
    """Units a line may break between: CJK clusters one by one, Latin words whole."""
    toks: list[str] = []
    for cl in clusters(text):
        ch = cl[0]
        latin = ch.isascii() and not ch.isspace()
        if toks and latin and toks[-1][-1].isascii() and not toks[-1][-1].isspace():
            toks[-1] += cl
        elif toks and (ch in NO_LINE_START or toks[-1][-1] in NO_LINE_END):
            toks[-1] += cl
        else:
            toks.append(cl)
    return toks


class _Producer(OutputProducer):
    def _add_fonts(self, *args, **kwargs):
        # Only now is every glyph known (page numbers are drawn last): embed just those.
        for face in getattr(self.fpdf, "attached_faces", ()):
            face.embed_into(self.fpdf)
        return super()._add_fonts(*args, **kwargs)


class Sheet(FPDF):
    """An A4 portrait document with the packet's fonts and a corner mark on every page."""

    def __init__(self, fontset: FontSet, *, stamp: str, issued_on, title: str, author: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.fontset = fontset
        self.stamp = stamp
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.c_margin = 0
        self.set_line_width(RULE)
        # A fixed creation date (the day of issue) makes a reprint byte-identical.
        self.set_creation_date(datetime.combine(issued_on, time(9, 0), tzinfo=JST))
        self.set_title(title)
        self.set_author(author)
        self.set_creator("Madoguchi")
        self.set_lang("ja")
        self._qr = segno.make_qr(stamp, error="m")
        self._qr_ops: dict[tuple, str] = {}
        self._shaped: dict[tuple[str, str, float], str] = {}
        self.attached_faces: list[FontFace] = []  # see FontFace.attach
        self.fills: list = []  # data.Fill per printed form, in page order
        self.signature: bytes | None = None  # PNG drawn into the signature boxes
        self.sign_here = True  # the form being drawn is one the signature was given for
        self.signed_at = None
        # page number -> (blank PDF bytes, its page index, AcroForm boxes ticked as
        # (full name, on-state)): municipal forms' backgrounds
        self.backgrounds: dict[int, tuple[bytes, int, list[tuple[str, str]]]] = {}
        # page number -> where its 「n / N」 goes (x, y, w: right-aligned in that width), or
        # None for none: a municipal blank says where (its own footer may sit at the bottom)
        self.page_numbers: dict[int, tuple[float, float, float] | None] = {}
        # The digit width of the form being drawn (its template's `digits`, or the pack's):
        # every text drawn, measured or wrapped goes through `shown`, so a form's dates, 〒,
        # phone, 番地 and labels agree whichever layout draws them. None: text as written
        # (the guidance slip). `verbatim` holds the packet's names, which are never changed.
        self.digits: str | None = None
        self.verbatim: tuple[str, ...] = ()
        self._shown: dict[tuple[str, str], str] = {}  # every token is measured many times
        self.practice = False  # 練習モード: finish() stamps 練習 on every page

    def output(self, *args, **kwargs):
        return super().output(*args, output_producer_class=_Producer, **kwargs)

    # ---- pages

    def new_page(
        self,
        size: tuple[float, float] | None = None,
        mark: tuple[float, float, float] | None | bool = True,
    ) -> None:
        """A page (A4, or `size` in mm: a municipal blank's own A3 or B4) with the corner mark
        top right, at (x, y, size) of the QR code, or none (mark=None)."""
        self.add_page(format=size) if size else self.add_page()
        self.set_draw_color(0)
        self.set_text_color(0)
        if mark is True:
            self.corner_mark()
        elif mark:
            self.corner_mark(*mark)

    def corner_mark(self, x: float | None = None, y: float = 5.0, size: float = 13.0) -> None:
        """The visit number and its QR code, top right: staff scan any page to open the visit."""
        x = self.w - MARGIN - size if x is None else x
        self.qr(x, y, size)
        # The number goes left of the code, or under it where the code sits at the left edge.
        with self.digits_of(None):  # as staff type it into the search, whatever the form
            if x >= 62:
                self.line_text(x - 62, y + 1.5, "受付番号", 7, w=60, align="R")
                self.line_text(x - 62, y + 5.0, self.stamp, 10, w=60, align="R", face=self.gothic)
            else:
                self.line_text(x, y + size + 0.5, self.stamp, 8, face=self.gothic)

    def finish(self) -> None:
        """Number every page once the total is known (「3 / 14」, bottom right)."""
        last = self.page
        with self.digits_of(None):  # the packet's numbering, not the form's
            for n in range(1, last + 1):
                self.page = n
                # Pages differ in size (a municipal A3 blank): the page's own, for placement.
                self.w_pt, self.h_pt = self.pages[n].dimensions()
                self.w, self.h = self.w_pt / self.k, self.h_pt / self.k
                at = self.page_numbers.get(n, (MARGIN, self.h - 10, self.w - 2 * MARGIN))
                if at is not None:
                    x, y, w = at
                    self.line_text(x, y, f"{n} / {last}", 8, w=w, align="R")
                if self.practice:
                    self.practice_mark()
        self.page = last

    def practice_mark(self) -> None:
        """練習: a pale diagonal word across the page and a plain line at its foot, so no
        practice sheet passes for a filed one (drawn over the form, under nothing)."""
        w, h = self.w, self.h  # the page's own size (an A3 blank is larger)
        self.set_text_color(205)
        with self.rotation(35, w / 2, h / 2):
            self.line_text(0, h / 2 - 40, "練習", 150, w=w, h=80, align="C", face=self.gothic)
        self.set_text_color(0)
        self.line_text(MARGIN, h - 10, "練習用（提出できません）", 9, w=w - 2 * MARGIN,
                       align="L", face=self.gothic)  # fmt: skip

    # ---- digits

    @contextmanager
    def digits_of(self, width: str | None):
        """Draw a form with its digits in `width` ("full" or "half"), back as before after."""
        before = self.digits
        self.digits = width
        try:
            yield
        finally:
            self.digits = before

    def keep_names(self, names: tuple[str, ...]) -> None:
        """The names `shown` leaves as written (the packet's people and heads)."""
        if names != self.verbatim:
            self.verbatim = names
            self._shown.clear()

    def shown(self, text: str) -> str:
        """Text as the current form prints it: its digits in the form's width, a name as is."""
        if self.digits is None or not text:
            return text
        key = (self.digits, text)
        out = self._shown.get(key)
        if out is None:
            out = digits_as(text, self.digits)
            if out != text and any(text in name for name in self.verbatim):
                out = text  # a name, or a line of one wrapped onto two
            self._shown[key] = out
        return out

    # ---- text

    @property
    def mincho(self) -> FontFace:
        return self.fontset.mincho

    @property
    def gothic(self) -> FontFace:
        return self.fontset.gothic

    def measure(self, text: str, size: float, face: FontFace | None = None) -> float:
        face = face or self.mincho
        fs = self.fontset
        total = 0.0
        for cl in clusters(self.shown(text)):
            f = fs.face_for(cl, face) or face
            total += f.advance(cl)
        return total * size / 1000 * PT

    def fit(self, text: str, w: float, size: float, smallest: float = 6.0) -> float:
        """The largest size up to `size` at which text fits in width w (names vary in length)."""
        width = self.measure(text, size)
        if width <= w or width == 0:
            return size
        return max(smallest, size * w / width)

    def line_text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        face: FontFace | None = None,
        w: float | None = None,
        h: float | None = None,
        align: str = "L",
        who: str | None = None,
    ) -> float:
        """Draw one line inside the box (x, y, w, h), vertically centred; returns its width."""
        if not text:
            return 0.0
        text = self.shown(text)
        face = face or self.mincho
        h = h if h is not None else size * PT * 1.3
        runs = self.fontset.runs(text, face, who)
        widths = [self.measure(run, size, f) for f, run in runs]
        total = sum(widths)
        if w is not None and align == "C":
            x += (w - total) / 2
        elif w is not None and align == "R":
            x += w - total
        baseline = y + h / 2 + 0.3 * size * PT  # where fpdf2's cell() puts it
        for (f, run), rw in zip(runs, widths, strict=True):
            self._emit(f, x, baseline, run, size)
            x += rw
        return total

    def _emit(self, face: FontFace, x: float, baseline: float, text: str, size: float) -> None:
        """Shape one run with HarfBuzz and write it as a PDF text object.

        fpdf2's cell() splits text where the Unicode script changes, and a variation
        selector (script Inherited) then lands in a run of its own: the base is drawn
        without its variant. Shaping each run whole here keeps base + selector together,
        so HarfBuzz picks the glyph from the font's cmap format 14.
        """
        face.attach(self)
        font = self.fonts[face.family]
        key = (face.family, text, size)
        codes = self._shaped.get(key)
        if codes is None:
            # Labels repeat on every form; the subset codes of a run never change in a document.
            glyphs = font.shape_text(text, size, _SHAPING)
            codes = "".join(chr(g["mapped_char"]) for g in glyphs if g["mapped_char"] is not None)
            self._shaped[key] = codes
        font.biggest_size_pt = max(font.biggest_size_pt, size)
        self._resource_catalog.add(PDFResourceType.FONT, font.i, self.page)
        color = self.text_color.serialize().lower()
        self._out(
            f"q {color} BT /F{font.i} {size:.2f} Tf {x * self.k:.2f} "
            f"{(self.h - baseline) * self.k:.2f} Td ({font.escape_text(codes)}) Tj ET Q"
        )

    def name_lines(self, text: str, w: float, h: float, size: float, smallest: float = 7.0,
                   face: FontFace | None = None) -> tuple[float, list[str]]:  # fmt: skip
        """How a name fills a box w × h: the largest size from `size` down to `smallest` at
        which it fits on one line, or on two (a 43-letter foreign name), never below."""
        s = size
        while s >= smallest - 1e-6:
            if self.measure(text, s, face) <= w + 0.01:
                return s, [text]
            lines = self.wrap(text, w, s, face)
            if len(lines) <= 2 and 2 * s * PT * NAME_LEADING <= h + 0.01:
                return s, lines
            s -= 0.25
        return smallest, self.wrap(text, w, smallest, face)

    def name_text(self, x: float, y: float, w: float, h: float, text: str, size: float, *,
                  who: str | None = None, face: FontFace | None = None, align: str = "L",
                  smallest: float = 7.0) -> float:  # fmt: skip
        """A person's name inside its box, on two lines when one would overflow; returns the
        size used."""
        if not text:
            return size
        s, lines = self.name_lines(text, w, h, size, smallest, face)
        lh = s * PT * NAME_LEADING
        top = y + (h - lh * len(lines)) / 2
        for i, ln in enumerate(lines):
            self.line_text(x, top + i * lh, ln, s, face=face, w=w, h=lh, align=align, who=who)
        return s

    def wrap(self, text: str, w: float, size: float, face: FontFace | None = None) -> list[str]:
        lines: list[str] = []
        for para in self.shown(text).split("\n"):
            line, width = "", 0.0
            for tok in _tokens(para):
                tw = self.measure(tok, size, face)
                if line and width + tw > w + 0.01:
                    lines.append(line.rstrip())
                    line, width = "", 0.0
                    if tok.isspace():
                        continue
                if not line and tw > w:
                    # A single unit wider than the column (a long Latin word): cut it.
                    for cl in clusters(tok):
                        cw = self.measure(cl, size, face)
                        if line and width + cw > w + 0.01:
                            lines.append(line)
                            line, width = "", 0.0
                        line += cl
                        width += cw
                    continue
                line += tok
                width += tw
            lines.append(line.rstrip())
        return lines

    def block(
        self,
        x: float,
        y: float,
        w: float,
        text: str,
        size: float,
        *,
        face: FontFace | None = None,
        leading: float = 1.35,
        align: str = "L",
        who: str | None = None,
        draw: bool = True,
    ) -> float:
        """Wrapped text from (x, y) in width w; returns the height used (measure with draw=False)."""
        lh = size * PT * leading
        lines = self.wrap(text, w, size, face)
        if draw:
            for i, ln in enumerate(lines):
                self.line_text(x, y + i * lh, ln, size, face=face, w=w, h=lh, align=align, who=who)
        return len(lines) * lh

    # ---- rules and marks

    def sign(self, x: float, y: float, w: float, h: float) -> None:
        """The resident's tablet signature, fitted into a signature box (if there is one)."""
        if not self.signature or not self.sign_here:
            return
        import io

        self.image(io.BytesIO(self.signature), x + 2, y + 1.5, w - 4, h - 3,
                   keep_aspect_ratio=True)  # fmt: skip
        if self.signed_at is not None:
            stamp = f"署名 {self.signed_at.astimezone(JST):%Y-%m-%d %H:%M}"
            with self.digits_of(None):  # the tablet's record of the signing, not a form value
                self.line_text(x + 1, y + h - 3.6, stamp, 6, w=w - 2, h=3.2, align="R")

    def frame(self, x, y, w, h, *, fill=None, width: float = RULE) -> None:
        self.set_line_width(width)
        if fill is not None:
            self.set_fill_color(*fill)
            self.rect(x, y, w, h, style="DF")
        else:
            self.rect(x, y, w, h)

    def shade(self, x, y, w, h, color=SHADE) -> None:
        self.set_fill_color(*color)
        self.rect(x, y, w, h, style="F")

    def hline(self, x1, x2, y, width: float = THIN) -> None:
        self.set_line_width(width)
        self.line(x1, y, x2, y)

    def vline(self, x, y1, y2, width: float = THIN) -> None:
        self.set_line_width(width)
        self.line(x, y1, x, y2)

    def checkbox(self, x: float, y: float, checked: bool, s: float = 3.2) -> None:
        """A square box with its top-left at (x, y); a drawn tick (not a glyph) when checked."""
        self.set_line_width(THIN * 1.5)
        self.rect(x, y, s, s)
        if checked:
            self.set_line_width(0.45)
            self.polyline(
                [
                    (x + s * 0.18, y + s * 0.52),
                    (x + s * 0.42, y + s * 0.8),
                    (x + s * 0.86, y + s * 0.16),
                ]
            )
            self.set_line_width(RULE)

    def choice(self, x: float, y: float, label: str, checked: bool, size: float = 9.5) -> float:
        """☐ label, returns the width used (for laying out a row of choices)."""
        s = 3.0
        lh = size * PT * 1.3
        self.checkbox(x, y + (lh - s) / 2, checked, s)
        w = self.line_text(x + s + 1.0, y, label, size, h=lh)
        return s + 1.0 + w + 3.5

    def ring(self, cx: float, cy: float, w: float, h: float) -> None:
        """A circle around a printed choice (有・無, 男・女) as on hand-filled forms."""
        self.set_line_width(THIN * 1.6)
        self.ellipse(cx - w / 2, cy - h / 2, w, h)

    def qr(self, x: float, y: float, size: float) -> None:
        key = (x, y, size, self.h)
        if key not in self._qr_ops:
            matrix = self._qr.matrix
            n = len(matrix)
            m = size / n * self.k
            ops = []
            for r, row in enumerate(matrix):
                c = 0
                while c < n:
                    if row[c]:
                        start = c
                        while c < n and row[c]:
                            c += 1
                        # One rectangle per dark run keeps the code small and crisp in print.
                        ops.append(
                            f"{x * self.k + start * m:.2f} {(self.h - y) * self.k - (r + 1) * m:.2f}"
                            f" {(c - start) * m + 0.02:.2f} {m + 0.02:.2f} re"
                        )
                    else:
                        c += 1
            self._qr_ops[key] = "q 0 g " + " ".join(ops) + " f Q"
        self._out(self._qr_ops[key])  # the same mark on every page: build its path once

    # ---- labelled cells

    def label_cell(self, x, y, w, h, label: str, size: float = 8.5, shade=True) -> None:
        if shade:
            self.shade(x, y, w, h)
        self.frame(x, y, w, h, width=THIN)
        lines = self.wrap(label, w - 2, size)
        lh = size * PT * 1.25
        top = y + (h - lh * len(lines)) / 2
        for i, ln in enumerate(lines):
            self.line_text(x + 1, top + i * lh, ln, size, w=w - 2, h=lh, align="C")

    def value_cell(
        self, x, y, w, h, text: str, size: float = 10.5, *, align="L", who=None, face=None, pad=2.0
    ) -> None:
        self.frame(x, y, w, h, width=THIN)
        if not text:
            return
        lh = size * PT * 1.3
        lines = self.wrap(text, w - 2 * pad, size, face)
        while len(lines) * lh > h and size > 7:
            size -= 0.5  # shrink to fit (7 pt at least, still legible) rather than overflow
            lh = size * PT * 1.3
            lines = self.wrap(text, w - 2 * pad, size, face)
        top = y + (h - lh * len(lines)) / 2
        for i, ln in enumerate(lines):
            self.line_text(
                x + pad,
                top + i * lh,
                ln,
                size,
                w=w - 2 * pad,
                h=lh,
                align=align,
                who=who,
                face=face,
            )
