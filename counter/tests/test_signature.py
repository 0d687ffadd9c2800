"""The tablet signature: the pad's PNG flattened, and stored with its time."""

import base64
import io
import json

import pytest
from django.urls import reverse
from PIL import Image

from counter.signatures import BadSignature, decode_png
from printing.tests.test_signature_boxes import signature_png


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


@pytest.mark.django_db
def test_the_tablet_page_stores_the_signature_with_its_time(client, clerk):
    from datetime import date

    from counter import services
    from counter.models import Signature
    from counter.tablet import sign_token
    from counter.tests.factories import elderly_couple

    hh, *_ = elderly_couple()
    visit = services.start_visit(by=clerk, office=clerk.staff.office, events=["tenkyo"],
                                 event_date=date(2026, 4, 10), household=hh)  # fmt: skip
    url = reverse("counter:sign", args=[sign_token(visit)])
    assert "枠の中にご署名ください" in client.get(url).content.decode()
    body = {"png": "data:image/png;base64," + base64.b64encode(signature_png(True)).decode(),
            "strokes": [[[10, 10, 0], [50, 40, 16]]]}  # fmt: skip
    r = client.post(url, json.dumps(body), content_type="application/json")
    assert r.status_code == 200
    sig = Signature.objects.get(visit=visit)
    assert sig.signed_at is not None and sig.strokes == body["strokes"]
    assert client.get(reverse("counter:sign", args=["forged"])).status_code == 404
