"""A notice sent again with the same 予約番号: unchanged, nothing happens; changed before the
resident came, the prepared visit takes the change; after the resident came (or the booking was
cancelled), nothing changes and the answer says why, for a person to sort out."""

import copy

import pytest

from counter import services as counter_services
from queues.models import Reservation
from queues.tests.test_reservations import NOTICE


@pytest.fixture(autouse=True)
def _no_pdf(monkeypatch):
    monkeypatch.setattr(counter_services, "print_packet", lambda visit, by, request=None: None)


def changed():
    n = copy.deepcopy(NOTICE)
    n["来庁予定日"] = "2026-12-03"
    n["異動年月日"] = "2026-11-28"
    n["来庁窓口"] = "tanno"
    n["転入先住所"]["番地"] = "9-9"
    n["世帯員"][0]["氏名"] = "転入　太朗"
    n["世帯員"] = n["世帯員"][:1]  # 次郎 stays where he was
    return n


@pytest.mark.django_db
def test_a_changed_notice_updates_the_prepared_visit(feed):
    assert feed({"notices": [NOTICE]}).json()["results"][0]["status"] == "created"
    visit = Reservation.objects.get().visit
    r = feed({"notices": [changed()]})
    assert r.status_code == 200
    result = r.json()["results"][0]
    assert result["status"] == "updated" and result["visit"] == visit.number
    res = Reservation.objects.get()
    assert res.visit == visit and str(res.planned_date) == "2026-12-03"
    assert res.office.code == "tanno" and res.name == "転入　太朗"
    visit.refresh_from_db()
    assert visit.office.code == "tanno" and str(visit.event_date) == "2026-11-28"
    assert visit.new_address["banchi"] == "9-9"
    assert [(p.name, p.applicant) for p in visit.people.all()] == [("転入　太朗", True)]


@pytest.mark.django_db
def test_a_notice_sent_again_unchanged_is_already_imported(feed):
    feed({"notices": [NOTICE]})
    again = copy.deepcopy(NOTICE)
    again["電話番号"] = "090-0000-0000"  # the same, written again
    r = feed({"notices": [again]})
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "already_imported"


@pytest.mark.django_db
def test_a_person_added_by_a_changed_notice_joins_the_visit(feed):
    feed({"notices": [NOTICE]})
    more = copy.deepcopy(NOTICE)
    more["世帯員"].append({"氏名": "転入　三郎", "生年月日": "2024-01-01", "続柄": "子"})
    assert feed({"notices": [more]}).json()["results"][0]["status"] == "updated"
    people = Reservation.objects.get().visit.people.values_list("name", flat=True)
    assert list(people) == ["転入　太郎", "転入　次郎", "転入　三郎"]


@pytest.mark.django_db
def test_a_changed_notice_after_arrival_is_a_conflict_and_changes_nothing(
    feed, clerk_client, clerk
):
    from django.urls import reverse

    feed({"notices": [NOTICE]})
    res = Reservation.objects.get()
    clerk_client.post(reverse("queues:staff_issue"), {"reservation": res.pk, "token": "arrive"})
    res.refresh_from_db()
    assert res.state == Reservation.State.ARRIVED
    r = feed({"notices": [changed()]})
    assert r.status_code == 400
    result = r.json()["results"][0]
    assert result["status"] == "conflict" and result["visit"] is None
    assert result["message"] == (
        "1件目：予約番号 MP-2026-0001 の変更は反映していません"
        "（住民の方が来庁済みで、窓口での手続きが始まっています）。窓口で確認してください。"
    )
    res.refresh_from_db()
    assert str(res.planned_date) == "2026-12-01" and res.visit.people.count() == 2


@pytest.mark.django_db
def test_a_changed_notice_for_an_accepted_visit_is_a_conflict(feed, clerk):
    feed({"notices": [NOTICE]})
    visit = Reservation.objects.get().visit
    counter_services.accept_visit(visit, by=clerk)
    result = feed({"notices": [changed()]}).json()["results"][0]
    assert result["status"] == "conflict"
    assert list(visit.people.values_list("name", flat=True)) == ["転入　太郎", "転入　次郎"]


@pytest.mark.django_db
def test_a_changed_notice_for_a_cancelled_booking_is_a_conflict(feed):
    feed({"notices": [NOTICE]})
    Reservation.objects.update(state=Reservation.State.CANCELLED)
    result = feed({"notices": [changed()]}).json()["results"][0]
    assert result["status"] == "conflict" and "予約は取り消されています" in result["message"]
