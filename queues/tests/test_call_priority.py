"""A booked resident who has checked in is called at the booked time ahead of the walk-ins
(per purpose: queues.purposes.Purpose.booked_first), and marked 予約 on the staff screen."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from queues import services, waiting
from queues.models import Slot


def checked_in(honcho, purpose, starts_in_minutes):
    slot = Slot.objects.create(
        office=honcho,
        purpose=purpose,
        starts_at=timezone.now() + timedelta(minutes=starts_in_minutes),
        capacity=2,
    )
    reservation = services.book(slot, name="予約　花子")
    return services.issue_ticket(office=honcho, purpose_code=purpose, reservation=reservation)


@pytest.mark.django_db
def test_a_checked_in_reservation_is_called_at_its_time_before_earlier_walk_ins(
    honcho, counters, clerk
):
    walk_in = services.issue_ticket(office=honcho, purpose_code="moving")
    booked = checked_in(honcho, "moving", starts_in_minutes=-1)
    assert waiting.position(booked) == 0 and waiting.position(walk_in) == 1
    assert services.call_next(counters[1], by=clerk) == booked
    assert services.call_next(counters[1], by=clerk) == walk_in


@pytest.mark.django_db
def test_a_reservation_that_arrived_early_waits_like_everyone_until_its_time(
    honcho, counters, clerk
):
    walk_in = services.issue_ticket(office=honcho, purpose_code="moving")
    early = checked_in(honcho, "moving", starts_in_minutes=30)
    assert services.call_next(counters[1], by=clerk) == walk_in
    assert services.call_next(counters[1], by=clerk) == early


@pytest.mark.django_db
def test_a_purpose_without_the_rule_keeps_issue_order(honcho, counters, clerk):
    walk_in = services.issue_ticket(office=honcho, purpose_code="certificate")
    booked = checked_in(honcho, "certificate", starts_in_minutes=-5)
    assert services.call_next(counters[1], by=clerk) == walk_in
    assert services.call_next(counters[1], by=clerk) == booked


@pytest.mark.django_db
def test_the_staff_screen_marks_the_reservation_and_lists_it_first(clerk_client, honcho, counters):
    services.issue_ticket(office=honcho, purpose_code="moving")
    booked = checked_in(honcho, "moving", starts_in_minutes=-1)
    page = clerk_client.get(reverse("queues:staff"), {"counter": counters[1].pk}).text
    table = page[page.index('id="waiting"') :]
    first_row = table[table.index("<tr data-ticket=") :].split("</tr>")[0]
    assert booked.label in first_row and "予約" in first_row
    assert f"{timezone.localtime(booked.reservation.slot.starts_at):%H:%M}" in first_row
