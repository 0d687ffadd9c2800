"""A resident books a リモート相談 with 保険年金課 at the 支所; at the slot's time, once the
branch clerk has the resident's visit open, it waits in 保険年金課's lobby."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from queues import services as queue_services
from queues.forms import BookForm
from queues.models import Slot
from remote import services
from remote.models import Consultation


@pytest.fixture
def booked(branch_clerk):
    """A booked slot at the 端野支所 at noon today; the resident has checked in."""
    office = branch_clerk.staff.office
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    slot = Slot.objects.create(office=office, purpose="remote_hoken", starts_at=noon)
    reservation = queue_services.book(slot, name="窓口 花子", phone="0157-00-0000")
    ticket = queue_services.issue_ticket(
        office=office, purpose_code="remote_hoken", by=branch_clerk, reservation=reservation
    )
    return slot, reservation, ticket


@pytest.mark.django_db
def test_residents_may_book_it_on_the_public_form_but_not_take_it_at_the_kiosk(branch_clerk):
    from queues.purposes import PURPOSES

    slot = Slot.objects.create(
        office=branch_clerk.staff.office,
        purpose="remote_hoken",
        starts_at=timezone.now() + timedelta(days=1),
    )

    assert slot in BookForm(office=slot.office).fields["slot"].queryset
    assert "remote_hoken" not in [p.code for p in PURPOSES]


@pytest.mark.django_db
def test_at_its_time_the_booking_becomes_a_request_in_the_departments_lobby(
    client, booked, branch_clerk, hoken_clerk, hoken
):
    slot, reservation, ticket = booked
    visit = queue_services.start_visit_from_ticket(
        ticket, by=branch_clerk, office=branch_clerk.staff.office
    )
    assert services.request_booked(now=slot.starts_at - timedelta(minutes=5)) == []  # not yet
    assert not Consultation.objects.exists()

    later = slot.starts_at + timedelta(minutes=1)
    (c,) = services.request_booked(now=later)
    assert (c.visit, c.department, c.requested_by, c.state) == (
        visit,
        hoken,
        branch_clerk,
        "requested",
    )
    assert reservation.number in c.note
    assert services.request_booked(now=later) == []  # once
    client.force_login(hoken_clerk)
    assert visit.number in client.get(reverse("remote:lobby")).content.decode()


@pytest.mark.django_db
def test_a_resident_not_at_the_counter_yet_is_not_sent(booked):
    slot, _reservation, _ticket = booked  # checked in, not called: no visit open
    assert services.request_booked(now=slot.starts_at + timedelta(minutes=1)) == []


@pytest.mark.django_db
def test_the_specialists_lobby_lists_todays_bookings(client, booked, hoken_clerk, kaigo_clerk):
    _slot, reservation, _ticket = booked
    client.force_login(hoken_clerk)
    assert reservation.number in client.get(reverse("remote:lobby")).content.decode()
    client.force_login(kaigo_clerk)
    assert reservation.number not in client.get(reverse("remote:lobby")).content.decode()
