"""Reservations as a resident meets them: the public form offers only what residents may book
(おくやみ has its own form), the booking gets a number and a link of the resident's own to
see and cancel it; staff confirm before cancelling, and see the cancelled ones; the
deceased's birth date may be written in 和暦."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from queues import services
from queues.models import Reservation, Slot


@pytest.fixture
def slots(honcho):
    at = timezone.now() + timedelta(days=1)
    return {
        p: Slot.objects.create(office=honcho, purpose=p, starts_at=at, capacity=2)
        for p in ("moving", "death", "certificate")
    }


def options(html):
    return set(re.findall(r'<option value="(\d+)"', html))


@pytest.mark.django_db
def test_the_public_form_offers_only_what_residents_may_book(client, slots):
    page = client.get(reverse("queues:book", args=["honcho"])).text
    assert options(page) == {str(slots["moving"].pk)}
    assert reverse("queues:book_okuyami", args=["honcho"]) in page  # おくやみ: its own page
    okuyami = client.get(reverse("queues:book_okuyami", args=["honcho"])).text
    assert options(okuyami) == {str(slots["death"].pk)}
    # Naming a purpose in the link does not bring back one the public may not book.
    sneaky = client.get(reverse("queues:book", args=["honcho"]), {"purpose": "death"}).text
    assert options(sneaky) == set()


@pytest.mark.django_db
def test_a_booking_gets_a_number_and_the_residents_own_cancel_link(client, slots):
    url = reverse("queues:book", args=["honcho"])
    token = re.search(r'name="token" value="(\w+)"', client.get(url).text).group(1)
    done = client.post(url, {"slot": slots["moving"].pk, "name": "山田　太郎", "token": token}).text
    r = Reservation.objects.get()
    assert f'id="reservation-number">{r.number}<' in done and re.fullmatch(r"R\d{6}", r.number)
    link = re.search(r'id="my-reservation">([^<]+)<', done).group(1)
    assert link.endswith(f"/queue/r/{r.public_key}/") and len(r.public_key) >= 16
    mine = client.get(link)
    assert r.number in mine.text and "予約を取り消す" in mine.text
    client.post(link)
    r.refresh_from_db()
    slots["moving"].refresh_from_db()
    assert r.state == "cancelled" and slots["moving"].booked == 0
    assert "予約を取り消す" not in client.get(link).text
    missing = client.get(reverse("queues:my_reservation", args=["nothing-here"]))
    assert missing.status_code == 404 and "予約が見つかりません" in missing.text


@pytest.mark.django_db
def test_staff_confirm_before_cancelling_and_see_the_cancelled(clerk_client, slots):
    r = services.book(slots["moving"], name="佐藤　花子")
    url = reverse("queues:reservation_cancel", args=[r.pk])
    listing = clerk_client.get(reverse("queues:reservations")).text
    assert f'href="{url}"' in listing  # a link to the confirmation, not a one-click POST
    confirm = clerk_client.get(url).text
    r.refresh_from_db()
    assert r.state == "booked" and "佐藤　花子" in confirm and "取り消しますか" in confirm
    clerk_client.post(url)
    r.refresh_from_db()
    assert r.state == "cancelled"
    listing = clerk_client.get(reverse("queues:reservations")).text
    cancelled = listing[listing.index('id="cancelled"') :].split("</table>")[0]
    assert r.number in cancelled and "佐藤　花子" in cancelled


@pytest.mark.django_db
@pytest.mark.parametrize("written", ["昭和15年3月2日", "S15.3.2", "1940-03-02"])
def test_the_deceaseds_birth_date_may_be_written_in_wareki(client, slots, written):
    url = reverse("queues:book_okuyami", args=["honcho"])
    page = client.post(
        url,
        {
            "slot": slots["death"].pk,
            "name": "北見　一郎",
            "token": f"okuyami-{written}",
            "deceased_name": "北見　太郎",
            "deceased_kana": "キタミ　タロウ",
            "deceased_birth": written,
            "death_date": (timezone.localdate() - timedelta(days=2)).isoformat(),
        },
    )
    assert "予約を受け付けました" in page.text
    r = Reservation.objects.get()
    assert date.fromisoformat(r.details["deceased"]["birth_date"]) == date(1940, 3, 2)


@pytest.mark.django_db
def test_a_wrong_wareki_date_is_refused_in_japanese(client, slots):
    page = client.post(
        reverse("queues:book_okuyami", args=["honcho"]),
        {"slot": slots["death"].pk, "name": "北見", "token": "x", "deceased_name": "北見",
         "deceased_kana": "キタミ", "deceased_birth": "昭和99年13月1日",
         "death_date": "2026-01-01"},
    )  # fmt: skip
    assert page.status_code == 200 and not Reservation.objects.exists()
    assert "errorlist" in page.text
