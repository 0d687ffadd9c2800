"""kind: municipal — the municipality's own blank PDF underneath, the field map drawn over it.

The values are drawn on an ordinary packet page (so names keep their IVS glyphs and the
page its visit number and QR); once the packet is written, each such page gets its blank
laid underneath with pypdf. AcroForm fields of the blank are mapped by name: the value is
drawn in the field's rectangle with the Japanese fonts, and the field itself is dropped,
so the printed form is flat and no viewer draws the form's own Latin font over it.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from lib.text import to_fullwidth_digits
from lib.wareki import wareki_parts

from .. import dictionary as dd
from ..data import Fill, PacketData, Procedure
from ..sheet import MARGIN, PT, THIN, Sheet
from ..templates_loader import Box, FormTemplate, TemplateError, forms_dir
from . import register
from .acroform import AcroFormError, find

A4 = (210.0, 297.0)


def background_bytes(t: FormTemplate) -> bytes:
    """The blank's bytes; a missing or unreadable file is a TemplateError naming it."""
    if t.generate:
        from ..blanks import blank

        return blank(t.generate)
    base = t.path.parent if t.path else forms_dir()
    path = Path(base) / t.background
    try:
        data = _read(str(path))
    except OSError as e:
        raise TemplateError(f"白紙の様式 {path} を開けません（{e.strerror or e}）") from None
    page_sizes(data, str(path))  # an unreadable PDF says so here, not half-way into a packet
    return data


@lru_cache(maxsize=32)
def _read(path: str) -> bytes:
    return Path(path).read_bytes()


@lru_cache(maxsize=32)
def page_sizes(bg: bytes, where: str = "") -> tuple[tuple[float, float], ...]:
    """Each page's size in mm as the blank defines it (rotation included): an A3 or B4
    blank is printed on an A3 or B4 page, never clipped to A4."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(bg))
        sizes = []
        for page in reader.pages:
            box = page.mediabox
            w, h = float(box.width) / 72 * 25.4, float(box.height) / 72 * 25.4
            sizes.append((h, w) if (page.get("/Rotate") or 0) % 180 else (w, h))
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise TemplateError(f"白紙の様式 {where or ''} が PDF として読めません（{e}）") from None
    if not sizes:
        raise TemplateError(f"白紙の様式 {where or ''} にページがありません")
    return tuple(sizes)


def placed(t: FormTemplate, bg: bytes) -> list[Box]:
    """The template's boxes with AcroForm-mapped ones given their field's rectangle: one box
    per widget (a field shown twice on the blank is filled twice)."""
    out = []
    for b in t.boxes:
        if not b.acroform:
            out.append(b)
            continue
        try:
            found = find(bg, b.acroform)
        except AcroFormError as e:
            raise TemplateError(f"様式「{t.id}」: {e}") from None
        first = True
        for w in found:
            if w.kind not in ("check", "radio") or b.render not in ("text", "check", "choices"):
                out.append(replace(b, page=w.page, x=w.x, y=w.y, w=w.w, h=w.h))
                continue
            # A checkbox of the PDF, ticked with its own on-state. A radio group's buttons
            # are named by their on-states, which are the field's values (/true, /false).
            # `acroform` then carries what draw_municipal needs: the full name, the on-state,
            # and whether this is the field's first button (the one the slip counts).
            choice = b.choice
            if w.kind == "radio":
                if b.choice is not None and b.choice != w.on:
                    continue
                choice = w.on
            out.append(replace(b, page=w.page, x=w.x, y=w.y, w=w.w, h=w.h, render="acro_check",
                               choice=choice, acroform=f"{w.name}\n{w.on or ''}\n{int(first)}"))  # fmt: skip
            first = False
    return out


def off_page(t: FormTemplate, sizes) -> list[tuple[int, str]]:
    """Boxes (1-based index, what is wrong) that fall outside the blank's pages: a typo in x
    or y, a page the blank lacks."""
    bad = []
    for i, b in enumerate(t.boxes, 1):
        if b.acroform:
            continue
        name = b.field or "署名"
        if not 1 <= b.page <= len(sizes):
            bad.append((i, f"{name}: {b.page}ページ目はありません（白紙は{len(sizes)}ページ）"))
            continue
        w, h = sizes[b.page - 1]
        rects = [(b.x, b.y, b.w, b.h)] + [(x, y, pw, ph) for _p, x, y, pw, ph in b.parts]
        rects += [(x - b.ring[0] / 2, y - b.ring[1] / 2, *b.ring) for _e, x, y in b.eras]
        rects += [(x - b.ring[0] / 2, y - b.ring[1] / 2, *b.ring) for _o, x, y in b.options]
        if b.render == "digits":
            rects.append((b.x, b.y, _digit_x(b, b.count - 1) - b.x + (b.w or b.pitch), b.h))
        for x, y, rw, rh in rects:
            if x < 0 or y < 0 or x + rw > w + 0.01 or y + rh > h + 0.01:
                bad.append((i, f"{name}: ({x:g}, {y:g}) 幅{rw:g} 高さ{rh:g} が"
                               f"ページ（{w:.0f}×{h:.0f}mm）の外です"))  # fmt: skip
                break
    return bad


@register("municipal")
def draw_municipal(pdf: Sheet, data: PacketData, proc: Procedure, t: FormTemplate,
                   fill: Fill) -> None:  # fmt: skip
    bg = background_bytes(t)
    sizes = page_sizes(bg)
    boxes = placed(t, bg)
    pages = max([b.page for b in boxes] + [1])
    if pages > len(sizes):
        raise TemplateError(f"白紙は{len(sizes)}ページですが、{pages}ページ目に項目があります")
    ctx = dd.Ctx(data, proc)
    for n in range(1, pages + 1):
        w, h = sizes[n - 1]
        a4 = abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1
        pdf.new_page(size=None if a4 else (w, h), mark=t.stamp)
        ticks: list[tuple[str, str]] = []
        pdf.backgrounds[pdf.page] = (bg, n - 1, ticks)
        for b in (b for b in boxes if b.page == n):
            if b.render == "acro_check":
                name, on, i = (b.acroform or "").split("\n")
                state = dd.ticked(b.field, ctx, b.choice) if b.field else None
                if i == "1":  # a radio group is one box to fill, not one per button
                    fill.count(state is not None)
                if state and on:
                    ticks.append((name, on))
                continue
            draw_box(pdf, ctx, b, fill)
        _footer(pdf, proc, t)


def _footer(pdf: Sheet, proc: Procedure, t: FormTemplate) -> None:
    """提出先 and 様式, with the page number: below the blank by default, where the template
    says, or left off (the page number too) when the blank has no room for it."""
    if t.footer is None:
        pdf.page_numbers[pdf.page] = None
        return
    if t.footer is True:
        x, y, w = MARGIN, pdf.h - 15.5, pdf.w - 2 * MARGIN
        pdf.hline(x, x + w, y - 1, THIN)
    else:
        x, y, w = t.footer
        pdf.page_numbers[pdf.page] = (x, y + 4.5, w)
    where = f"{proc.department_name}（{proc.location}）" if proc.location else proc.department_name
    pdf.line_text(x, y, f"提出先：{where}", 9)
    pdf.line_text(x, y + 4.5, f"様式：{proc.form or proc.id}", 7.5)


def draw_box(pdf: Sheet, ctx: dd.Ctx, b: Box, fill: Fill | None = None) -> None:
    h = b.h or b.size * PT * 1.4
    dd.note_mynumber(b.field, ctx, fill)
    if b.render == "signature":
        if fill is not None:
            fill.signatures += 1
        pdf.sign(b.x, b.y, b.w or 60, h)
        return
    if b.render in ("date_parts", "digits", "circle"):
        filled = HAND_WRITTEN[b.render](pdf, ctx, b)
        if fill is not None:
            fill.count(filled)
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
    if not b.zip_mark:
        text = text.removeprefix("〒")
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


def _digits(text: str, b: Box) -> str:
    return to_fullwidth_digits(text) if b.fmt.digits == "full" else text


def draw_date_parts(pdf: Sheet, ctx: dd.Ctx, b: Box) -> bool:
    """元号 circled among those printed on the blank; 年・月・日 each in its box."""
    d = dd.value(b.field, ctx)
    if not isinstance(d, date):
        return False
    eras = {e: (x, y) for e, x, y in b.eras}
    person = dd.context_for(b.field, ctx).person
    western = b.fmt.date == "seireki" or (b.fmt.date == "auto" and person and person.is_foreign)
    if western and "西" in eras:
        era, year = "西", str(d.year)
    else:
        name, y, _m, _d = wareki_parts(d)
        era, year = name[0], ("元" if y == 1 and ctx.data.gannen else str(y))
    if era in eras:
        pdf.ring(*eras[era], *b.ring)
    values = {"year": year, "month": str(d.month), "day": str(d.day)}
    for part, x, y, w, h in b.parts:
        pdf.line_text(x, y, _digits(values[part], b), b.size, w=w, h=h,
                      align="R" if b.align == "R" else "C")  # fmt: skip
    return True


def _digit_x(b: Box, i: int) -> float:
    group, before = 0, 0
    for g in b.groups:
        if i < before + g:
            break
        before += g
        group += 1
    return b.x + i * b.pitch + group * b.gap


def draw_digits(pdf: Sheet, ctx: dd.Ctx, b: Box) -> bool:
    """One character in each printed box (〒, 電話, 番号): only letters and digits, so the
    blank's own 〒 and hyphens are not written again; right-aligned boxes (align: R) take
    a shorter number in their last boxes. A value longer than the boxes is left to write."""
    text = dd.render(b.field, ctx, dd.Format(date=b.fmt.date, digits="half", kana=b.fmt.kana))
    chars = [c for c in unicodedata.normalize("NFKC", text) if c.isascii() and c.isalnum()]
    if not chars or len(chars) > b.count:
        return False
    start = b.count - len(chars) if b.align == "R" else 0
    cell = b.w or b.pitch
    h = b.h or b.size * PT * 1.4
    for i, c in enumerate(chars, start):
        pdf.line_text(_digit_x(b, i), b.y, _digits(c, b), b.size, w=cell, h=h, align="C")
    return True


def draw_circle(pdf: Sheet, ctx: dd.Ctx, b: Box) -> bool:
    """The chosen option circled where the blank prints it (男・女, 有・無, 続柄…)."""
    if dd.value(b.field, ctx) is None:
        return False
    if dd.get_field(b.field).kind in ("bool", "choice", "list"):
        chosen = [(x, y) for v, x, y in b.options if dd.ticked(b.field, ctx, v)]
    else:
        text = dd.render(b.field, ctx, b.fmt)
        chosen = [(x, y) for v, x, y in b.options if v == text]
    for x, y in chosen:
        pdf.ring(x, y, *b.ring)
    return True


HAND_WRITTEN = {"date_parts": draw_date_parts, "digits": draw_digits, "circle": draw_circle}


def _turn(blank):
    """Where a blank stored turned (/Rotate, a landscape form kept upright) lands on its page,
    which has the turned size (page_sizes): its content turned the same way."""
    from pypdf import Transformation

    w, h = float(blank.mediabox.width), float(blank.mediabox.height)
    rotate = (blank.get("/Rotate") or 0) % 360
    if rotate == 90:
        return Transformation().rotate(-90).translate(0, w)
    if rotate == 180:
        return Transformation().rotate(180).translate(w, h)
    if rotate == 270:
        return Transformation().rotate(90).translate(h, 0)
    return Transformation()


def underlay(pdf_bytes: bytes, backgrounds: dict[int, tuple]) -> bytes:
    """Lay each municipal page's blank under it; AcroForm widgets are left out (flattened),
    a ticked checkbox drawn with its own on-state appearance."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    from .acroform import draw_on_states

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    readers: dict[int, PdfReader] = {}
    for page_no, (bg, index, *rest) in sorted(backgrounds.items()):
        reader = readers.get(id(bg))
        if reader is None:
            reader = readers[id(bg)] = PdfReader(io.BytesIO(bg))
        blank = reader.pages[index]
        annots = blank.get("/Annots")
        if annots is not None:
            del blank[NameObject("/Annots")]
        writer.pages[page_no - 1].merge_transformed_page(blank, _turn(blank), over=False)
        if annots is not None:
            blank[NameObject("/Annots")] = annots  # the same blank may be under another page
            if rest and rest[0]:
                draw_on_states(writer, page_no, blank, rest[0])
    if "/AcroForm" in writer._root_object:
        del writer._root_object[NameObject("/AcroForm")]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
