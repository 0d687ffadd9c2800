"""Visits for the events beyond moving: whoever the event is about is marked by role."""

from datetime import date

import pytest
from django.urls import reverse

from counter import services
from counter.models import Visit
from counter.navigation import navigate_visit
from counter.tests.factories import elderly_couple


def _keys(visit):
    results, _ = navigate_visit(visit)
    return {f"{r.id}@{r.person}" if r.person else r.id for r in results if r.status == "applies"}


@pytest.mark.django_db
def test_a_death_visit_lists_the_deceased_heads_procedures_from_the_register(clerk):
    hh, head, wife = elderly_couple()
    visit = services.start_visit(
        by=clerk,
        office=clerk.staff.office,
        events=["death"],
        event_date=date(2026, 11, 20),
        household=hh,
    )
    assert not any(p.moving for p in visit.people.all())  # nobody moves in a death
    d = visit.people.get(resident=head)
    services.update_person(d, by=clerk, role="deceased")
    got = _keys(visit)
    # 81, 後期高齢 with an inkan and a card: known from the register, not asked.
    assert {
        "shibo_todoke@p1",
        "koki_soshitsu@p1",
        "koki_sosaihi@p1",
        "inkan_haishi_death@p1",
        "mynacard_shibo@p1",
        "kaigo_soshitsu@p1",
        "fukuji_inzoku@p1",
    } <= got
    assert not any(k.endswith("@p2") for k in got)


@pytest.mark.django_db
def test_a_newborn_is_added_to_a_registered_household_for_a_birth(clerk_client, clerk):
    hh, head, wife = elderly_couple()
    clerk_client.post(
        reverse("counter:visit_start", args=[hh.id]),
        {"events": ["birth"], "event_date": "R8.9.1", "token": "b"},
    )
    visit = Visit.objects.get()
    clerk_client.post(
        reverse("counter:person_add", args=[visit.number]),
        {
            "surname": "髙橋",
            "given_name": "結衣",
            "surname_kana": "タカハシ",
            "given_kana": "ユイ",
            "birth_date": "R8.8.25",
            "sex": "2",
            "relation": "子",
            "role": "newborn",
            "nationality": "JP",
            "token": "nb",
        },
    )
    got = _keys(visit)
    assert {"shussei_todoke@p3", "kodomo_iryo_birth@p3", "boshi_birth@p3"} <= got


@pytest.mark.django_db
def test_marriage_and_a_move_in_start_together(clerk_client):
    r = clerk_client.post(
        reverse("counter:visit_new"),
        {"events": ["marriage", "tennyu"], "event_date": "R8.5.20", "token": "m"},
    )
    assert r.status_code == 302
    assert Visit.objects.get().events == ["marriage", "tennyu"]


@pytest.mark.django_db
def test_two_moves_in_one_visit_are_refused_with_a_reason(clerk_client):
    r = clerk_client.post(
        reverse("counter:visit_new"), {"events": ["tennyu", "tenkyo"], "event_date": "R8.5.20"}
    )
    assert "1つの来庁で1つだけ" in r.content.decode()
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_a_newcomer_visit_without_a_move_in_is_refused(clerk_client):
    r = clerk_client.post(
        reverse("counter:visit_new"), {"events": ["death"], "event_date": "R8.5.20"}
    )
    assert "転入（国内・国外）を含めて" in r.content.decode()
