"""A signature given in PacketData is drawn into every signature box of the packet."""

import io

from PIL import Image, ImageDraw

from printing.pdf import render_packet

from . import raster
from .fixtures import family_of_four


def signature_png(transparent=False) -> bytes:
    img = Image.new(
        "RGBA" if transparent else "L", (400, 120), (0, 0, 0, 0) if transparent else 255
    )
    d = ImageDraw.Draw(img)
    d.line([(20, 90), (120, 20), (200, 100), (380, 30)], fill=(0, 0, 0, 255) if transparent else 0,
           width=6)  # fmt: skip
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def box_ink(pdf: bytes, page: int, label: str, dpi: int = 72) -> int:
    """Dark pixels in the signature box right of `label` (its frame excluded)."""
    words = raster.page_words(pdf, page)
    w = raster.find_word(words, label)
    img = raster.page_image(pdf, page, dpi)
    s = dpi / 72
    mm = dpi / 25.4
    x0 = round(w.x1 * s + 12 * mm)
    top = round(w.y0 * s - 5 * mm)
    crop = img.crop((x0, top, round(x0 + 120 * mm), round(top + 14 * mm)))
    return sum(crop.point(lambda v: 255 if v < 128 else 0).histogram()[255:])


def test_the_signature_is_in_every_signature_box_and_only_when_signed(family_pdf):
    from datetime import datetime, timedelta, timezone

    signed = family_of_four(signature=signature_png(),
                            signed_at=datetime(2026, 4, 10, 10, 5, tzinfo=timezone(timedelta(hours=9))))  # fmt: skip
    pdf = render_packet(signed)
    texts = raster.page_texts(pdf)
    pages = [n for n, t in enumerate(texts, 1) if "署名 2026-04-10 10:05" in t]
    sig_pages = [n for n, t in enumerate(raster.page_texts(family_pdf), 1)
                 if any(f"{w}署名" in t for w in ("申請者", "届出人", "請求者", "使用者"))]  # fmt: skip
    assert pages == sig_pages and len(pages) == 12
    n = raster.page_with(pdf, "児童手当 認定請求書", "提出先：")
    assert box_ink(pdf, n, "請求者署名") > 200
    assert box_ink(family_pdf, n, "請求者署名") == 0
