"""Public pages, per client address: one client cannot take a pad of tickets or fill a slot."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Office
from queues.models import Reservation, Slot, Ticket

KIOSK = "/queue/kiosk/honcho/"


@pytest.fixture
def honcho(demo_staff):
    return Office.objects.get(code="honcho")


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "ticket": (5, 600),
        "ticket_kiosk": (10, 60),
        "booking": (3, 3600),
        "booking_try": (20, 3600),
        "public": (300, 60),
    }
    settings.KIOSK_ADDRESSES = []
    return settings


def take(client, n, addr="198.51.100.20"):
    return client.post(KIOSK, {"purpose": "moving", "token": f"tap-{n}"}, REMOTE_ADDR=addr)


@pytest.mark.django_db
def test_twenty_taps_in_a_row_give_five_tickets_then_a_japanese_429(client, honcho, limits):
    answers = [take(client, i) for i in range(20)]
    assert [r.status_code for r in answers[:5]] == [302] * 5
    assert {r.status_code for r in answers[5:]} == {429}
    assert Ticket.objects.count() == 5
    page = answers[5]
    body = page.content.decode()
    assert "しばらくお待ちください" in body and "分後にもう一度お試しください" in body
    assert 0 < int(page["Retry-After"]) <= 600
    # Another resident, another address: served.
    assert take(client, 99, addr="198.51.100.21").status_code == 302


@pytest.mark.django_db
def test_a_registered_kiosk_terminal_serves_a_queue_of_residents(client, honcho, limits):
    limits.KIOSK_ADDRESSES = ["192.0.2.0/28"]
    codes = [take(client, i, addr="192.0.2.5").status_code for i in range(12)]
    assert codes == [302] * 10 + [429] * 2


@pytest.mark.django_db
def test_a_clerk_issuing_at_the_counter_is_not_limited(clerk_client, honcho, limits):
    for i in range(8):
        r = clerk_client.post(
            reverse("queues:kiosk", args=["honcho"]), {"purpose": "moving", "token": f"c{i}"}
        )
        assert r.status_code == 302
    assert Ticket.objects.count() == 8


@pytest.fixture
def slots(honcho):
    start = timezone.now() + timedelta(days=2)
    return [
        Slot.objects.create(
            office=honcho, purpose="moving", starts_at=start + timedelta(minutes=30 * i), capacity=3
        )
        for i in range(6)
    ]


def book(client, slot, token, addr="198.51.100.30"):
    return client.post(
        reverse("queues:book", args=["honcho"]),
        {
            "slot": slot.pk,
            "name": "予約　太郎",
            "name_kana": "ヨヤク　タロウ",
            "phone": "0157-00-0000",
            "token": token,
        },
        REMOTE_ADDR=addr,
    )


@pytest.mark.django_db
def test_one_address_cannot_fill_a_slot(client, slots, limits):
    assert "予約　太郎" in book(client, slots[0], "b1").content.decode()
    r = book(client, slots[0], "b2")
    assert "この端末からすでに予約されています" in r.content.decode()
    r = book(client, slots[0], "b3")
    slots[0].refresh_from_db()
    assert slots[0].booked == 1 and Reservation.objects.count() == 1
    # Another household elsewhere still gets the remaining places.
    book(client, slots[0], "b4", addr="198.51.100.31")
    slots[0].refresh_from_db()
    assert slots[0].booked == 2


@pytest.mark.django_db
def test_the_same_form_sent_twice_is_one_booking_and_no_error(client, slots, limits):
    first = book(client, slots[0], "same")
    again = book(client, slots[0], "same")
    assert again.status_code == 200 and "予約　太郎" in again.content.decode()
    assert "すでに予約されています" not in again.content.decode()
    assert first.status_code == 200 and Reservation.objects.count() == 1


@pytest.mark.django_db
def test_one_address_books_three_slots_an_hour_at_most(client, slots, limits):
    for i in range(3):
        book(client, slots[i], f"h{i}")
    r = book(client, slots[3], "h3")
    assert "受付を一時的に止めています" in r.content.decode()
    assert Reservation.objects.count() == 3


@pytest.mark.django_db
def test_staff_booking_for_a_caller_is_not_limited(clerk_client, slots, limits):
    for i in range(5):
        book(clerk_client, slots[0], f"s{i}")
    slots[0].refresh_from_db()
    assert slots[0].booked == 3  # the slot's own capacity still holds


@pytest.mark.django_db
def test_the_phones_wait_page_cannot_be_hammered(client, honcho, limits):
    from queues import services

    limits.RATE_LIMITS = {**limits.RATE_LIMITS, "public": (30, 60)}
    ticket = services.issue_ticket(office=honcho, purpose_code="other")
    url = reverse("queues:wait_status", args=[ticket.token])
    codes = [client.get(url, REMOTE_ADDR="198.51.100.40").status_code for _ in range(35)]
    assert codes[:30] == [200] * 30 and set(codes[30:]) == {429}


@pytest.mark.django_db
def test_signatures_from_one_tablet_are_limited(client, clerk, limits):
    from datetime import date

    from counter import services
    from counter.tablet import sign_token
    from counter.tests.factories import elderly_couple

    limits.RATE_LIMITS = {**limits.RATE_LIMITS, "sign": (3, 600)}
    hh, _h, _w = elderly_couple()
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tenshutsu"],
        event_date=date(2026, 6, 15), household=hh,
    )  # fmt: skip
    url = reverse("counter:sign", args=[sign_token(visit)])
    codes = [
        client.post(
            url, "{}", content_type="application/json", REMOTE_ADDR="198.51.100.50"
        ).status_code
        for _ in range(5)
    ]
    assert codes == [400, 400, 400, 429, 429]  # an empty pad is refused; then the limit
