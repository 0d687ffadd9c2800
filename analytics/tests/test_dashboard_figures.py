"""The supervisor's figures from a hand-built day of transitions whose medians are known."""

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department
from analytics import figures
from queues.models import Ticket, TicketTransition

DAY = date(2026, 11, 2)


def at(hh, mm):
    return timezone.make_aware(datetime.combine(DAY, time(hh, mm)))


def ticket(office, n, purpose, dept, steps):
    """steps: (kind, "HH:MM", counter or None, department or None)."""
    t = Ticket.objects.create(
        office=office,
        day=DAY,
        number=n,
        purpose=purpose,
        department=dept,
        state="done",
        issued_at=at(*map(int, steps[0][1].split(":"))),
    )
    for kind, hm, counter, d in steps:
        TicketTransition.objects.create(
            ticket=t,
            kind=kind,
            at=at(*map(int, hm.split(":"))),
            counter=counter,
            department=d or dept,
        )
    return t


@pytest.fixture
def day_of_tickets(honcho, counters):
    shimin, hoken = (
        Department.objects.get(code="shimin"),
        Department.objects.get(code="hoken_nenkin"),
    )
    c1, c2, c5 = counters[1], counters[2], counters[5]
    # 引越し: waits 5, 10, 20 minutes; service 4, 6, 8 minutes.
    ticket(
        honcho,
        1,
        "moving",
        shimin,
        [
            ("issued", "09:00", None, None),
            ("called", "09:05", c1, None),
            ("done", "09:09", c1, None),
        ],
    )
    ticket(
        honcho,
        2,
        "moving",
        shimin,
        [
            ("issued", "09:00", None, None),
            ("called", "09:10", c2, None),
            ("recalled", "09:11", c2, None),
            ("done", "09:16", c2, None),
        ],
    )
    ticket(
        honcho,
        3,
        "moving",
        shimin,
        [
            ("issued", "09:00", None, None),
            ("called", "09:20", c1, None),
            ("done", "09:28", c1, None),
        ],
    )
    # おくやみ: 30 minutes' wait at 市民課, 10 minutes there, sent on to 保険年金課 where it waits
    # 10 and is served 20.
    ticket(
        honcho,
        4,
        "death",
        shimin,
        [
            ("issued", "09:00", None, None),
            ("called", "09:30", c1, None),
            ("transferred", "09:40", c1, hoken),
            ("called", "09:50", c5, hoken),
            ("done", "10:10", c5, hoken),
        ],
    )
    return shimin, hoken


@pytest.mark.django_db
def test_waits_and_service_times_have_the_medians_and_90th_percentiles_of_the_rows(day_of_tickets):
    d = figures.dashboard(start=DAY, end=DAY)
    wait = {g["label"]: g for g in d["wait_by_purpose"]}
    assert (wait["引越し"]["n"], wait["引越し"]["median"], wait["引越し"]["p90"]) == (
        3,
        10,
        pytest.approx(18),
    )
    assert (wait["おくやみ"]["n"], wait["おくやみ"]["median"]) == (2, 20)
    service = {g["label"]: g for g in d["service_by_purpose"]}
    assert (service["引越し"]["median"], service["引越し"]["p90"]) == (6, pytest.approx(7.6))
    assert service["おくやみ"]["median"] == 15  # 10 at 市民課, 20 at 保険年金課
    by_dept = {g["label"]: g for g in d["wait_by_department"]}
    assert by_dept["市民課"]["median"] == 15 and by_dept["保険年金課"]["median"] == 10
    sdept = {g["label"]: g for g in d["service_by_department"]}
    assert sdept["市民課"]["median"] == 7 and sdept["保険年金課"]["median"] == 20
    util = {u["counter"].number: u for u in d["utilisation"]}
    assert util[1]["busy_minutes"] == 22 and util[5]["rate"] == pytest.approx(20 / 525)


def test_the_percentile_interpolates_between_ranks():
    assert figures.percentile([1, 2, 3, 4], 50) == 2.5
    assert figures.percentile([10], 90) == 10
    assert figures.percentile([], 90) is None


@pytest.mark.parametrize(
    "values, p, expected",
    [
        ([3, 1], 90, 2.8),  # two points: 1 + 0.9 × (3 − 1)
        ([1, 2], 10, 1.1),
        ([4, 4], 90, 4),
        ([20, 5, 10], 90, 18),  # unsorted in, ranks 1.8 → 10 + 0.8 × 10
        ([20, 5, 10], 50, 10),
        ([2.5], 10, 2.5),
    ],
)
def test_the_percentile_of_a_small_list_interpolates_between_its_ranks(values, p, expected):
    assert figures.percentile(values, p) == pytest.approx(expected)


@pytest.mark.django_db
def test_visits_are_counted_per_day_and_hour(day_of_tickets, clerk, honcho):
    from counter import services
    from counter.models import Visit

    v = services.start_visit(by=clerk, office=honcho, events=["birth"], event_date=DAY)
    Visit.objects.filter(pk=v.pk).update(created_at=at(10, 15))
    d = figures.dashboard(start=DAY - timedelta(days=1), end=DAY, office=honcho)
    assert dict(d["visits_per_day"]) == {DAY - timedelta(days=1): 0, DAY: 1}
    assert dict(d["visits_per_hour"])[10] == 1 and d["tickets_total"] == 4


@pytest.mark.django_db
def test_supervisors_get_the_dashboard_and_its_csv_and_clerks_do_not(
    client, supervisor, clerk, day_of_tickets
):
    client.force_login(clerk)
    assert client.get(reverse("analytics:dashboard")).status_code == 403
    client.force_login(supervisor)
    page = client.get(reverse("analytics:dashboard"), {"start": DAY, "end": DAY})
    assert page.status_code == 200 and "<svg" in page.text and "保険年金課" in page.text
    response = client.get(reverse("analytics:dashboard_csv"), {"start": DAY, "end": DAY})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["待ち時間（ご用件別）", "引越し", "3", "10.0", "18.0", "", ""] in rows
