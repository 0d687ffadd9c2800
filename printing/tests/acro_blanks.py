"""Blanks with AcroForm fields as PDF tools make them, for the AcroForm tests: fields nested
under parents (dotted full names), two fields of one name, checkboxes whose on-state is
named by the form's author (not /Yes), a radio group."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from printing.blanks import city_style

K = 72 / 25.4


def _appearance(writer, w: float, h: float, ops: str):
    s = DecodedStreamObject()
    s.set_data(ops.encode())
    s.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
              NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(w),
                                                FloatObject(h)])})  # fmt: skip
    return writer._add_object(s)


def build(spec: list[dict], base: bytes | None = None) -> bytes:
    """spec: {"name": "a.b.c", "rect": (x, y, w, h) mm, "type": text|check|radio,
    "on": state name (check), "kids": [(state, rect), …] (radio)}."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(base or city_style())))
    page = writer.pages[0]
    height = float(page.mediabox.height)
    annots, top, parents = ArrayObject(), ArrayObject(), {}

    def rect(x, y, w, h):
        return ArrayObject([FloatObject(x * K), FloatObject(height - (y + h) * K),
                            FloatObject((x + w) * K), FloatObject(height - y * K)])  # fmt: skip

    def parent_of(path: list[str]):
        ref = None
        for i in range(len(path)):
            key = ".".join(path[: i + 1])
            if key not in parents:
                node = DictionaryObject({NameObject("/T"): TextStringObject(path[i]),
                                         NameObject("/Kids"): ArrayObject()})  # fmt: skip
                if ref is not None:
                    node[NameObject("/Parent")] = ref
                new = writer._add_object(node)
                (ref.get_object()["/Kids"] if ref is not None else top).append(new)
                parents[key] = new
            ref = parents[key]
        return ref

    def widget(extra: dict, r, on: str | None = None, w=0.0, h=0.0):
        d = DictionaryObject({NameObject("/Type"): NameObject("/Annot"),
                              NameObject("/Subtype"): NameObject("/Widget"),
                              NameObject("/Rect"): rect(*r), NameObject("/F"): NumberObject(4),
                              NameObject("/P"): page.indirect_reference})  # fmt: skip
        d.update(extra)
        if on is not None:
            wp, hp = w * K, h * K
            d[NameObject("/AP")] = DictionaryObject({NameObject("/N"): DictionaryObject({
                NameObject(f"/{on}"): _appearance(writer, wp, hp,
                                                  f"0 g 1 1 {wp - 2:.2f} {hp - 2:.2f} re f"),
                NameObject("/Off"): _appearance(writer, wp, hp, "")})})  # fmt: skip
            d[NameObject("/AS")] = NameObject("/Off")
        return d

    for f in spec:
        *path, last = f["name"].split(".")
        parent = parent_of(path) if path else None
        kind = f.get("type", "text")
        base_keys = {NameObject("/T"): TextStringObject(last)}
        if kind == "radio":
            field = DictionaryObject({**base_keys, NameObject("/FT"): NameObject("/Btn"),
                                      NameObject("/Ff"): NumberObject(49152),
                                      NameObject("/Kids"): ArrayObject()})  # fmt: skip
            field_ref = writer._add_object(field)
            for state, r in f["kids"]:
                kid = widget({NameObject("/Parent"): field_ref}, r, state, r[2], r[3])
                kref = writer._add_object(kid)
                field["/Kids"].append(kref)
                annots.append(kref)
            ref = field_ref
        else:
            extra = {
                **base_keys,
                NameObject("/FT"): NameObject("/Btn" if kind == "check" else "/Tx"),
            }
            r = f["rect"]
            ref = writer._add_object(widget(extra, r, f.get("on") if kind == "check" else None,
                                            r[2], r[3]))  # fmt: skip
            annots.append(ref)
        if parent is not None:
            ref.get_object()[NameObject("/Parent")] = parent
            parent.get_object()["/Kids"].append(ref)
        else:
            top.append(ref)
    page[NameObject("/Annots")] = annots
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): top})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
