"""The tablet signature: stored with its time, and drawn into every signature box of the packet."""

import base64
import io
import json

import pytest
from django.urls import reverse
from PIL import Image, ImageDraw

from printing.pdf import render_packet
from printing.services import BadSignature, decode_png

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


def test_a_canvas_png_is_flattened_to_ink_on_white_and_an_empty_one_refused():
    png = decode_png("data:image/png;base64," + base64.b64encode(signature_png(True)).decode())
    img = Image.open(io.BytesIO(png))
    assert img.mode == "L" and img.getpixel((0, 0)) in (0, 255)
    empty = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    out = io.BytesIO()
    empty.save(out, format="PNG")
    with pytest.raises(BadSignature):
        decode_png("data:image/png;base64," + base64.b64encode(out.getvalue()).decode())
    with pytest.raises(BadSignature):
        decode_png("data:text/plain;base64,AAAA")


def test_the_signature_is_in_every_signature_box_and_only_when_signed(family_pdf):
    from datetime import datetime, timedelta, timezone

    signed = family_of_four(signature=signature_png(),
                            signed_at=datetime(2026, 4, 10, 10, 5, tzinfo=timezone(timedelta(hours=9))))  # fmt: skip
    pdf = render_packet(signed)
    texts = raster.page_texts(pdf)
    pages = [n for n, t in enumerate(texts, 1) if "署名 2026-04-10 10:05" in t]
    sig_pages = [n for n, t in enumerate(raster.page_texts(family_pdf), 1)
                 if any(f"{w}署名" in t for w in ("申請者", "届出人", "使用者"))]  # fmt: skip
    assert pages == sig_pages and len(pages) == 12
    n = raster.page_with(pdf, "児童手当 認定請求書", "提出先：")
    assert box_ink(pdf, n, "申請者署名") > 200
    assert box_ink(family_pdf, n, "申請者署名") == 0


@pytest.mark.django_db
def test_the_tablet_page_stores_the_signature_with_its_time(client, clerk):
    from datetime import date

    from counter import services
    from counter.tests.factories import elderly_couple
    from printing.models import Signature
    from printing.views import sign_token

    hh, *_ = elderly_couple()
    visit = services.start_visit(by=clerk, office=clerk.staff.office, events=["tenkyo"],
                                 event_date=date(2026, 4, 10), household=hh)  # fmt: skip
    url = reverse("printing:sign", args=[sign_token(visit)])
    assert "枠の中にご署名ください" in client.get(url).content.decode()
    body = {"png": "data:image/png;base64," + base64.b64encode(signature_png(True)).decode(),
            "strokes": [[[10, 10, 0], [50, 40, 16]]]}  # fmt: skip
    r = client.post(url, json.dumps(body), content_type="application/json")
    assert r.status_code == 200
    sig = Signature.objects.get(visit=visit)
    assert sig.signed_at is not None and sig.strokes == body["strokes"]
    assert client.get(reverse("printing:sign", args=["forged"])).status_code == 404
