"""In Chromium: the resident signs on the tablet page with the mouse, and the next print has ink
in its signature boxes."""

from datetime import date

import pytest
from django.urls import reverse

from counter import services
from counter.models import Signature
from counter.tests.factories import elderly_couple
from printing.tests import raster
from printing.tests.test_signature_boxes import box_ink


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_signature_drawn_on_the_tablet_page_is_printed_in_the_signature_box(
    logged_in_page, browser, live_server, clerk
):
    hh, *_ = elderly_couple()
    visit = services.start_visit(by=clerk, office=clerk.staff.office, events=["tenkyo"],
                                 event_date=date(2026, 4, 10), household=hh)  # fmt: skip
    page = logged_in_page
    packet_url = reverse("counter:packet", args=[visit.number])
    before = page.request.get(packet_url).body()
    page.goto(reverse("counter:visit", args=[visit.number]))
    assert page.locator("#signature-status").inner_text() == "署名はまだありません"
    sign_url = page.locator("#sign-link").get_attribute("href")

    # The tablet is another device: a fresh browser context, nobody logged in.
    tablet = browser.new_context(locale="ja-JP", viewport={"width": 1024, "height": 700})
    try:
        pad = tablet.new_page()
        pad.goto(sign_url)
        box = pad.locator("#pad").bounding_box()
        strokes = [[(0.1, 0.7), (0.25, 0.2), (0.4, 0.8), (0.55, 0.3)],
                   [(0.6, 0.6), (0.75, 0.25), (0.9, 0.65)]]  # fmt: skip
        for stroke in strokes:
            x, y = stroke[0]
            pad.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
            pad.mouse.down()
            for x, y in stroke[1:]:
                pad.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=8)
            pad.mouse.up()
        pad.click("#submit")
        pad.wait_for_selector("body[data-signed='1']")
        assert "受け付けました" in pad.locator("#status").inner_text()
    finally:
        tablet.close()

    sig = Signature.objects.get(visit=visit)
    assert len(sig.strokes) == 2 and sig.signed_at is not None
    page.reload()
    assert "署名済み" in page.locator("#signature-status").inner_text()

    after = page.request.get(packet_url).body()
    assert after != before  # the signature is part of the digest: a new version
    n = raster.page_with(after, "住民異動届", "届出人署名")
    assert box_ink(before, n, "届出人署名") == 0
    assert box_ink(after, n, "届出人署名") > 50  # the stroke, in the 16 mm box
    page.reload()
    assert page.locator("#packet-versions tbody tr").count() == 2
