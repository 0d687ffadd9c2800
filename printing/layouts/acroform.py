"""A blank's AcroForm fields, found by name: a municipal template's box may say `acroform: name`
instead of x・y・w・h, and is drawn in that field's rectangle (printing.layouts.municipal).

Names are the fields' full names, their parents' partial names joined with dots
(`applicant.name`), as PDF tools show them; a field's own last part is accepted as well
while only one field ends with it. Two fields of one full name are an error, never a silent
choice of one of them. Checkboxes and radio buttons are ticked with the appearance the PDF
itself defines for their on-state (`/Yes`, `/On`, `/1`… whatever the form's author named it).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

K = 72 / 25.4  # PDF points per millimetre


class AcroFormError(ValueError):
    pass


@dataclass(frozen=True)
class Widget:
    name: str  # full dotted name
    page: int
    x: float  # mm from the page's top-left
    y: float
    w: float
    h: float
    kind: str  # text | check | radio | other
    on: str | None  # check/radio: the on-state's appearance name, without the slash
    field_id: int  # which field object holds the name: two ids under one name collide
    turned: bool = False  # on a page stored turned (/Rotate): its rectangle is not the page's


def _full_name(node) -> tuple[str | None, int]:
    """The dotted name and the identity of the node that holds its last part."""
    parts, holder, seen = [], None, 0
    while node is not None and seen < 32:  # a /Parent loop in a damaged file ends here
        node = node.get_object()
        if "/T" in node:
            parts.append(str(node["/T"]))
            if holder is None:
                ref = node.indirect_reference
                holder = ref.idnum if ref is not None else id(node)
        node = node.get("/Parent")
        seen += 1
    return (".".join(reversed(parts)) or None), holder or 0


def _inherited(node, key):
    seen = 0
    while node is not None and seen < 32:
        node = node.get_object()
        if key in node:
            return node[key]
        node = node.get("/Parent")
        seen += 1
    return None


def _kind(a) -> tuple[str, str | None]:
    ft = _inherited(a, "/FT")
    if ft == "/Tx":
        return "text", None
    if ft != "/Btn":
        return "other", None
    flags = int(_inherited(a, "/Ff") or 0)
    if flags & (1 << 16):  # a push button: nothing to fill
        return "other", None
    states = [str(s)[1:] for s in ((a.get("/AP") or {}).get("/N") or {}) if s != "/Off"]
    return ("radio" if flags & (1 << 15) else "check"), (states[0] if states else None)


@lru_cache(maxsize=32)
def widgets(pdf_bytes: bytes) -> tuple[Widget, ...]:
    """Every field widget of the blank, page by page."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    out = []
    for n, page in enumerate(reader.pages, start=1):
        height = float(page.mediabox.height)
        turned = bool((page.get("/Rotate") or 0) % 360)
        for ref in page.get("/Annots") or []:
            a = ref.get_object()
            if a.get("/Subtype") != "/Widget" or "/Rect" not in a:
                continue
            name, holder = _full_name(a)
            if name is None:
                continue
            kind, on = _kind(a)
            x0, y0, x1, y1 = (float(v) for v in a["/Rect"])
            out.append(Widget(name, n, min(x0, x1) / K, (height - max(y0, y1)) / K,
                              abs(x1 - x0) / K, abs(y1 - y0) / K, kind, on, holder,
                              turned))  # fmt: skip
    return tuple(out)


def duplicates(pdf_bytes: bytes) -> dict[str, list[int]]:
    """Full names that two or more fields share, with the pages they are on."""
    holders: dict[str, dict[int, int]] = {}
    for w in widgets(pdf_bytes):
        holders.setdefault(w.name, {}).setdefault(w.field_id, w.page)
    return {name: sorted(h.values()) for name, h in holders.items() if len(h) > 1}


def find(pdf_bytes: bytes, name: str) -> list[Widget]:
    """The widgets of field `name` (full, or a last part only one field has); an error
    naming the fields when the name is missing or ambiguous."""
    every = widgets(pdf_bytes)
    dup = duplicates(pdf_bytes)
    exact = [w for w in every if w.name == name]
    if not exact:
        tail = [w for w in every if w.name.rsplit(".", 1)[-1] == name]
        full = sorted({w.name for w in tail})
        if len(full) > 1:
            raise AcroFormError(
                f"AcroForm のフィールド「{name}」は {'・'.join(full)} のどれか決まりません"
                "（完全な名前で書いてください）"
            )
        exact = tail
    if not exact:
        raise AcroFormError(f"AcroForm のフィールド「{name}」がありません")
    if any(w.turned for w in exact):
        raise AcroFormError(
            f"AcroForm のフィールド「{exact[0].name}」は回転したページ（/Rotate）にあります。"
            "x・y・w・h で位置を書いてください"
        )
    if exact[0].name in dup:
        pages = "・".join(str(p) for p in dup[exact[0].name])
        raise AcroFormError(
            f"AcroForm のフィールド名「{exact[0].name}」が2つ以上あります（ページ {pages}）。"
            "PDF の側で名前を分けてください"
        )
    return exact


def acroform_rects(pdf_bytes: bytes) -> dict[str, tuple[int, float, float, float, float]]:
    """AcroForm fields by full name: (page, x, y, w, h) in mm from the page's top-left."""
    out: dict[str, tuple[int, float, float, float, float]] = {}
    for w in widgets(pdf_bytes):
        out.setdefault(w.name, (w.page, w.x, w.y, w.w, w.h))
    return out


def draw_on_states(writer, page_no: int, blank, ticks: list[tuple[str, str]]) -> None:
    """Draw the on-state appearance of each ticked (name, state) widget of the blank page
    onto the packet's page: the tick is the form's own, the widget itself is flattened away."""
    from pypdf import PageObject, Transformation
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    wanted = set(ticks)
    for ref in blank.get("/Annots") or []:
        a = ref.get_object()
        name, _holder = _full_name(a)
        _kind_, on = _kind(a)
        if (name, on) not in wanted:
            continue
        ap = a["/AP"]["/N"][f"/{on}"].get_object()
        bx0, by0, bx1, by1 = (float(v) for v in ap.get("/BBox", a["/Rect"]))
        rx0, ry0, rx1, ry1 = (float(v) for v in a["/Rect"])
        sheet = PageObject.create_blank_page(width=bx1 - bx0 or 1, height=by1 - by0 or 1)
        sheet[NameObject("/Resources")] = ap.get("/Resources") or DictionaryObject()
        content = DecodedStreamObject()
        content.set_data(ap.get_data())
        sheet[NameObject("/Contents")] = writer._add_object(content)
        sx = abs(rx1 - rx0) / ((bx1 - bx0) or 1)
        sy = abs(ry1 - ry0) / ((by1 - by0) or 1)
        ctm = Transformation().translate(-bx0, -by0).scale(sx, sy)
        writer.pages[page_no - 1].merge_transformed_page(
            sheet, ctm.translate(min(rx0, rx1), min(ry0, ry1))
        )
