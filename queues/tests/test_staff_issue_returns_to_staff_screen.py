"""A ticket issued at the staff screen (窓口で発券, 予約 → 来庁受付) prints and returns the clerk
to the call screen; only the public kiosk's ticket returns to the kiosk."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from queues.models import Ticket


def _back_link(html: str) -> str:
    return re.search(r'<a href="([^"]+)" id="back">', html).group(1)


@pytest.mark.django_db
def test_a_ticket_issued_by_staff_leads_back_to_the_call_screen(clerk_client, counters):
    response = clerk_client.post(
        reverse("queues:staff_issue"), {"purpose": "moving", "token": "s1"}
    )
    page = clerk_client.get(response["Location"]).content.decode()
    assert _back_link(page) == reverse("queues:staff")
    assert "呼出画面に戻る" in page and reverse("queues:kiosk", args=["honcho"]) not in page


@pytest.mark.django_db
def test_a_kiosk_ticket_leads_back_to_the_kiosk(honcho):
    kiosk = Client()
    response = kiosk.post(reverse("queues:kiosk", args=["honcho"]), {"purpose": "moving"})
    page = kiosk.get(response["Location"]).content.decode()
    assert _back_link(page) == reverse("queues:kiosk", args=["honcho"])


@pytest.mark.django_db
def test_the_staff_return_is_not_offered_to_the_public(honcho):
    kiosk = Client()
    kiosk.post(reverse("queues:kiosk", args=["honcho"]), {"purpose": "moving"})
    ticket = Ticket.objects.get()
    page = kiosk.get(reverse("queues:ticket_print", args=[ticket.token]) + "?from=staff")
    assert _back_link(page.content.decode()) == reverse("queues:kiosk", args=["honcho"])
