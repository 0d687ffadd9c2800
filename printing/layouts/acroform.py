"""A blank's AcroForm fields, found by name: a municipal template's box may say `acroform: name`
instead of x・y・w・h, and is drawn in that field's rectangle (printing.layouts.municipal)."""

from __future__ import annotations

import io
from functools import lru_cache

K = 72 / 25.4  # PDF points per millimetre


@lru_cache(maxsize=32)
def acroform_rects(pdf_bytes: bytes) -> dict[str, tuple[int, float, float, float, float]]:
    """AcroForm text fields by name: (page, x, y, w, h) in mm from the page's top-left."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    out = {}
    for n, page in enumerate(reader.pages, start=1):
        height = float(page.mediabox.height)
        for ref in page.get("/Annots") or []:
            a = ref.get_object()
            name = a.get("/T") or (a.get("/Parent") or {}).get("/T")
            if a.get("/Subtype") != "/Widget" or name is None:
                continue
            x0, y0, x1, y1 = (float(v) for v in a["/Rect"])
            out[str(name)] = (n, min(x0, x1) / K, (height - max(y0, y1)) / K,
                              abs(x1 - x0) / K, abs(y1 - y0) / K)  # fmt: skip
    return out
