"""A resident booking on a phone types with the IME on: full-width phone numbers and dates
are taken; the names stay exactly as typed."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.forms import TokenForm
from analytics.forms import AnalyticsForm
from queues.forms import SlotsForm
from queues.models import Reservation, Slot


def _wide(s: str) -> str:
    return s.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)} | {ord("-"): "－"})


def _slot(office, purpose):
    return Slot.objects.create(
        office=office, purpose=purpose, starts_at=timezone.now() + timedelta(days=1), capacity=2
    )


@pytest.fixture
def slot(honcho):
    """A 引越し slot: a purpose the public form offers (おくやみ has its own form)."""
    return _slot(honcho, "moving")


@pytest.fixture
def okuyami_slot(honcho):
    return _slot(honcho, "death")


@pytest.mark.django_db
def test_a_full_width_phone_number_books(client, slot):
    url = reverse("queues:book", args=["honcho"])
    token = re.search(r'name="token" value="(\w+)"', client.get(url).text).group(1)
    client.post(
        url,
        {
            "slot": slot.pk,
            "name": "髙橋　花子",
            "phone": "０１５７－２３－４５６７",
            "token": token,
        },
    )
    r = Reservation.objects.get()
    assert r.phone == "0157-23-4567" and r.name == "髙橋　花子"


@pytest.mark.django_db
def test_an_okuyami_booking_takes_full_width_dates(client, okuyami_slot):
    url = reverse("queues:book_okuyami", args=["honcho"])
    token = re.search(r'name="token" value="(\w+)"', client.get(url).text).group(1)
    died = timezone.localdate() - timedelta(days=1)
    client.post(
        url,
        {
            "slot": okuyami_slot.pk,
            "name": "髙橋　花子",
            "phone": "０９０－１１１１－２２２２",
            "token": token,
            "deceased_name": "髙橋　一郎",
            "deceased_kana": "タカハシ　イチロウ",
            "deceased_birth": "１９４５－０５－０１",
            "death_date": _wide(died.isoformat()),
            "relation": "妻",
        },
    )
    d = Reservation.objects.get().details
    assert d["deceased"]["birth_date"] == "1945-05-01"
    assert d["deceased"]["death_date"] == died.isoformat()
    assert d["applicant"]["phone"] == "090-1111-2222"


@pytest.mark.django_db
def test_staff_date_and_number_fields_take_full_width_too(honcho):
    f = SlotsForm(
        {
            "purpose": "death",
            "day": "２０２６－０４－０１",
            "first": "09:00",
            "last": "10:00",
            "minutes": "３０",
            "capacity": "２",
        }
    )
    assert f.is_valid(), f.errors
    assert f.cleaned_data["day"].isoformat() == "2026-04-01" and f.cleaned_data["minutes"] == 30
    a = AnalyticsForm({"start": "２０２６／０４／０１", "end": "２０２６－０４－３０"})
    a.is_valid()
    assert "start" not in a.errors and "end" not in a.errors


def test_a_full_width_one_time_code_is_accepted():
    f = TokenForm({"token": "１２３　４５６"})
    assert f.is_valid() and f.cleaned_data["token"] == "123456"
