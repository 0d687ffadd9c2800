"""A visit prepared before the resident comes (the 転入予約 feed, おくやみ予約) is a 来庁 when the
resident arrives, at the hour they arrive; never when the file was prepared."""

from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics import figures
from counter import services as counter_services
from counter.models import Visit
from queues import prepare
from queues.models import Ticket
from queues.tests.test_reservations import NOTICE


def at(day, hh, mm=0):
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


@pytest.fixture
def prepared(demo_staff, monkeypatch):
    """A 転入予約 imported at 06:05 today (the core system's nightly run)."""
    monkeypatch.setattr(counter_services, "print_packet", lambda visit, by, request=None: None)
    r, _status = prepare.import_notice(NOTICE)
    today = timezone.localdate()
    Visit.objects.filter(pk=r.visit_id).update(created_at=at(today, 6, 5))
    return r


@pytest.mark.django_db
def test_a_prepared_visit_is_not_a_visit_before_the_resident_comes(prepared, client, supervisor):
    today = timezone.localdate()
    d = figures.dashboard(start=today, end=today)
    assert d["visits_total"] == 0 and dict(d["visits_per_hour"]).get(6) is None
    client.force_login(supervisor)
    page = client.get(reverse("analytics:dashboard")).text
    assert "来庁 0 件" in page


@pytest.mark.django_db
def test_it_counts_at_the_hour_the_resident_came(prepared, clerk_client, supervisor, client):
    clerk_client.post(
        reverse("queues:staff_issue"), {"reservation": prepared.pk, "token": "arrive"}
    )
    ticket = Ticket.objects.get(reservation=prepared)
    today = timezone.localdate()
    Ticket.objects.filter(pk=ticket.pk).update(issued_at=at(today, 10, 20))
    d = figures.dashboard(start=today, end=today)
    assert d["visits_total"] == 1
    per_hour = dict(d["visits_per_hour"])
    assert per_hour[10] == 1 and 6 not in per_hour
    client.force_login(supervisor)
    assert "来庁 1 件" in client.get(reverse("analytics:dashboard")).text


@pytest.mark.django_db
def test_a_prepared_visit_served_without_a_ticket_counts_when_accepted(prepared, clerk):
    counter_services.accept_visit(prepared.visit, by=clerk)
    today = timezone.localdate()
    Visit.objects.filter(pk=prepared.visit_id).update(accepted_at=at(today, 14, 40))
    d = figures.dashboard(start=today, end=today)
    assert d["visits_total"] == 1 and dict(d["visits_per_hour"])[14] == 1
    assert d["procedures"]["visits"] == 1


@pytest.mark.django_db
def test_walk_in_visits_count_when_opened(clerk, honcho):
    v = counter_services.start_visit(
        by=clerk, office=honcho, events=["birth"], event_date=timezone.localdate()
    )
    today = timezone.localdate()
    Visit.objects.filter(pk=v.pk).update(created_at=at(today, 9, 30))
    d = figures.dashboard(start=today, end=today, office=honcho)
    assert d["visits_total"] == 1 and dict(d["visits_per_hour"])[9] == 1
