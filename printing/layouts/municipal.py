"""kind: municipal — the municipality's own blank PDF underneath, the field map drawn over it.

The values are drawn on an ordinary packet page (so names keep their IVS glyphs and the
page its visit number and QR); once the packet is written, each such page gets its blank
laid underneath with pypdf. AcroForm fields of the blank are mapped by name: the value is
drawn in the field's rectangle with the Japanese fonts, and the field itself is dropped,
so the printed form is flat and no viewer draws the form's own Latin font over it.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from .. import dictionary as dd
from ..data import Fill, PacketData, Procedure
from ..sheet import PT, Sheet
from ..templates_loader import Box, FormTemplate, forms_dir
from . import register
from .acroform import acroform_rects
from .generic import footer_line


def background_bytes(t: FormTemplate) -> bytes:
    if t.generate:
        from ..blanks import blank

        return blank(t.generate)
    base = t.path.parent if t.path else forms_dir()
    return _read(str(Path(base) / t.background))


@lru_cache(maxsize=32)
def _read(path: str) -> bytes:
    return Path(path).read_bytes()


def placed(t: FormTemplate, bg: bytes) -> list[Box]:
    """The template's boxes with AcroForm-mapped ones given their field's rectangle."""
    rects = acroform_rects(bg) if any(b.acroform for b in t.boxes) else {}
    out = []
    for b in t.boxes:
        if b.acroform:
            if b.acroform not in rects:
                raise ValueError(
                    f"様式「{t.id}」: AcroForm のフィールド「{b.acroform}」がありません"
                )
            page, x, y, w, h = rects[b.acroform]
            b = Box(**{**b.__dict__, "page": page, "x": x, "y": y, "w": w, "h": h})
        out.append(b)
    return out


@register("municipal")
def draw_municipal(pdf: Sheet, data: PacketData, proc: Procedure, t: FormTemplate,
                   fill: Fill) -> None:  # fmt: skip
    bg = background_bytes(t)
    boxes = placed(t, bg)
    pages = max([b.page for b in boxes] + [1])
    ctx = dd.Ctx(data, proc)
    for n in range(1, pages + 1):
        pdf.new_page()
        pdf.backgrounds[pdf.page] = (bg, n - 1)
        for b in (b for b in boxes if b.page == n):
            draw_box(pdf, ctx, b, fill)
        footer_line(pdf, proc)  # 提出先 and 様式, below the blank, as on every form


def draw_box(pdf: Sheet, ctx: dd.Ctx, b: Box, fill: Fill | None = None) -> None:
    h = b.h or b.size * PT * 1.4
    if b.render == "signature":
        if fill is not None:
            fill.signatures += 1
        pdf.sign(b.x, b.y, b.w or 60, h)
        return
    if b.render in ("check", "choices"):
        on = dd.ticked(b.field, ctx, b.choice)
        if fill is not None:
            fill.count(on is not None)
        if on:
            s = min(h, 3.4)
            pdf.checkbox(b.x, b.y + (h - s) / 2, True, s) if b.w == 0 else pdf.ring(
                b.x + b.w / 2, b.y + h / 2, b.w, h)  # fmt: skip
        return
    text = dd.render(b.field, ctx, b.fmt)
    if fill is not None and dd.counted(b.field, text):
        fill.count(bool(text))
    if not text:
        return
    size = pdf.fit(text, b.w - 2, b.size) if (b.shrink and b.w) else b.size
    who = None
    if b.field.split(".")[0] in dd.PERSON_ROLES:
        p = dd.context_for(b.field, ctx).person
        who = f"{p.name}（{p.key}）" if p else None
    pad = 1.0 if b.w else 0.0
    if b.w and dd.get_field(b.field).kind == "name":
        # A long name (43 letters) goes onto two lines in its box rather than past it.
        pdf.name_text(b.x + pad, b.y, b.w - 2 * pad, h, text, b.size, who=who, align=b.align)
        return
    pdf.line_text(b.x + pad, b.y, text, size, w=(b.w - 2 * pad) if b.w else None, h=h,
                  align=b.align, who=who)  # fmt: skip


def underlay(pdf_bytes: bytes, backgrounds: dict[int, tuple[bytes, int]]) -> bytes:
    """Lay each municipal page's blank under it; AcroForm widgets are left out (flattened)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    readers: dict[int, PdfReader] = {}
    for page_no, (bg, index) in sorted(backgrounds.items()):
        reader = readers.get(id(bg))
        if reader is None:
            reader = readers[id(bg)] = PdfReader(io.BytesIO(bg))
        blank = reader.pages[index]
        if "/Annots" in blank:
            del blank[NameObject("/Annots")]
        writer.pages[page_no - 1].merge_page(blank, over=False)
    if "/AcroForm" in writer._root_object:
        del writer._root_object[NameObject("/AcroForm")]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
