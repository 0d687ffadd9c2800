"""The visit page links the tablet's signing QR code as an image drawn on request, not inline:
the code is the page's own signing link."""

import io
import re
from datetime import date

import pytest
import segno
from django.urls import reverse

from counter import services
from counter.tests.factories import elderly_couple


@pytest.mark.django_db
def test_the_qr_image_encodes_the_signing_link_the_page_shows(clerk_client, clerk):
    hh, *_ = elderly_couple()
    visit = services.start_visit(by=clerk, office=clerk.staff.office, events=["tenkyo"],
                                 event_date=date(2026, 4, 10), household=hh)  # fmt: skip
    page = clerk_client.get(reverse("counter:visit", args=[visit.number])).content.decode()
    link = re.search(r'id="sign-link" href="([^"]+)"', page)[1]
    qr_url = reverse("counter:sign_qr", args=[visit.number])
    assert f'src="{qr_url}"' in page and "<svg" not in page.split('id="printing"')[1]

    r = clerk_client.get(qr_url)
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    expected = io.BytesIO()
    segno.make_qr(link, error="m").save(expected, kind="svg", scale=3, dark="#000", light="#fff")
    assert r.content == expected.getvalue()
    assert (
        clerk_client.get(reverse("counter:sign", args=[link.rsplit("/", 2)[-2]])).status_code == 200
    )


@pytest.mark.django_db
def test_the_page_link_is_signed_for_its_own_city(rf):
    from django.core import signing

    from counter.tablet import _salt, sign_link
    from tenants import scope
    from tenants.models import Tenant

    Tenant.objects.create(code="kaku", number=Tenant.next_number(), name="架空町")
    request = rf.get("/")
    with scope.use("kaku"):
        token = sign_link(request, "20260410-HON-001").rstrip("/").rsplit("/", 1)[-1]
        assert signing.loads(token, salt=_salt()) == "20260410-HON-001"
    with pytest.raises(signing.BadSignature):  # not a link to our visit of that number
        signing.loads(token, salt=_salt())
