"""The resident's side: the kiosk prints a ticket with a QR code to the wait page, which shows
the position and an estimate; the staff screen drives the calls."""

import re

import pytest
from django.urls import reverse

from queues import services
from queues.models import Ticket


@pytest.mark.django_db
def test_the_kiosk_issues_one_ticket_per_tap_and_shows_the_print_page(client, honcho):
    page = client.get(reverse("queues:kiosk", args=["honcho"]))
    assert "引越し" in page.text and "おくやみ" in page.text and "証明書" in page.text
    token = re.search(r'name="token" value="(\w+)"', page.text).group(1)
    url = reverse("queues:kiosk", args=["honcho"])
    first = client.post(url, {"purpose": "death", "token": token})
    second = client.post(url, {"purpose": "death", "token": token})
    assert first["Location"] == second["Location"] and Ticket.objects.count() == 1
    printed = client.get(first["Location"])
    assert "C001" in printed.text and "おくやみ" in printed.text and "<svg" in printed.text
    assert printed.text.count("<path") >= 1  # segno's QR, inline: the receipt prints offline


@pytest.mark.django_db
def test_the_wait_page_shows_the_position_and_an_estimate_and_then_the_call(
    client, honcho, counters, clerk
):
    ahead = [services.issue_ticket(office=honcho, purpose_code="moving") for _ in range(2)]
    mine = services.issue_ticket(office=honcho, purpose_code="moving")
    page = client.get(reverse("queues:wait", args=[mine.token]))
    assert "あなたの前に 2 人お待ちです" in page.text
    services.call_next(counters[1], by=clerk)
    status = client.get(reverse("queues:wait_status", args=[mine.token])).json()
    assert status["ahead"] == 1 and status["state"] == "waiting"
    services.call_ticket(mine, counters[2], by=clerk)
    status = client.get(reverse("queues:wait_status", args=[mine.token])).json()
    assert status["state"] == "called" and "2番窓口" in status["message"]
    assert ahead[0].token not in page.text  # another resident's page is not linked from mine


@pytest.mark.django_db
def test_the_display_shows_the_current_call_of_each_counter(client, honcho, counters, clerk):
    t = services.issue_ticket(office=honcho, purpose_code="birth")
    services.call_next(counters[2], by=clerk)
    page = client.get(reverse("queues:display", args=["honcho"]))
    assert re.search(
        r'data-counter="2">\s*<h2>2番窓口<span class="dept">市民課</span></h2>\s*<div class="now">B001',
        page.text,
    )
    assert 'data-ticket="B001"' in page.text and t.label == "B001"
    assert client.get(reverse("queues:chime"))["Content-Type"] == "audio/wav"


@pytest.mark.django_db
def test_the_staff_screen_calls_next_and_marks_done(clerk_client, honcho, counters):
    services.issue_ticket(office=honcho, purpose_code="moving")
    screen = reverse("queues:staff")
    assert "1人待ち" in clerk_client.get(screen, {"counter": counters[1].pk}).text
    clerk_client.post(reverse("queues:call_next", args=[counters[1].pk]))
    page = clerk_client.get(screen)
    assert "呼出中：A001" in page.text
    t = Ticket.objects.get()
    clerk_client.post(reverse("queues:ticket_action", args=[t.pk, "done"]))
    t.refresh_from_db()
    assert t.state == "done"


@pytest.mark.django_db
def test_a_branch_clerk_cannot_work_the_main_offices_tickets(
    client, branch_clerk, honcho, counters
):
    t = services.issue_ticket(office=honcho, purpose_code="moving")
    client.force_login(branch_clerk)
    assert client.post(reverse("queues:ticket_action", args=[t.pk, "hold"])).status_code == 403
    assert client.post(reverse("queues:call_next", args=[counters[1].pk])).status_code == 404
