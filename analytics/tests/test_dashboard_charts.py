"""The dashboard's charts: every hour with a visit is on the hourly chart, each bar carries its
own value (0 and decimals included), and a counter is named with its office."""

from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics import charts
from counter import services as counter_services
from counter.models import Visit
from queues.models import Ticket, TicketTransition

DAY = timezone.localdate()


def at(hh, mm=0):
    return timezone.make_aware(datetime.combine(DAY, time(hh, mm)))


def visit_at(clerk, office, hh, mm=0, events=("birth",)):
    v = counter_services.start_visit(by=clerk, office=office, events=list(events), event_date=DAY)
    Visit.objects.filter(pk=v.pk).update(created_at=at(hh, mm))


def served(counter, number, called, done):
    t = Ticket.objects.create(
        office=counter.office,
        day=DAY,
        number=number,
        purpose="moving",
        department=counter.department,
        state="done",
        issued_at=at(*called),
    )
    for kind, when in (("issued", called), ("called", called), ("done", done)):
        TicketTransition.objects.create(
            ticket=t, kind=kind, at=at(*when), counter=counter, department=counter.department
        )


def page(client, supervisor):
    client.force_login(supervisor)
    return client.get(reverse("analytics:dashboard"), {"start": DAY, "end": DAY}).text


def chart(html, heading):
    part = html[html.index(heading) :]
    return part[: part.index("</svg>")]


@pytest.mark.django_db
def test_the_hourly_chart_covers_an_early_and_an_evening_visit(client, supervisor, clerk, honcho):
    visit_at(clerk, honcho, 7, 50)
    # Another start form: the same one again would be the first visit's double submission
    # whenever 19:10 is still to come (the test run just after midnight).
    visit_at(clerk, honcho, 19, 10, events=["death"])
    hourly = chart(page(client, supervisor), "時間帯別の来庁数")
    labels = [f">{h}時<" for h in range(7, 20)]
    assert all(label in hourly for label in labels)
    assert ">6時<" not in hourly and ">20時<" not in hourly
    assert "<title>7時：1</title>" in hourly and "<title>19時：1</title>" in hourly


@pytest.mark.django_db
def test_a_quiet_day_shows_the_office_hours(client, supervisor):
    hourly = chart(page(client, supervisor), "時間帯別の来庁数")
    assert ">8時<" in hourly and ">17時<" in hourly and ">18時<" not in hourly
    assert "<title>12時：0</title>" in hourly  # an hour without visits says 0


@pytest.mark.django_db
def test_bars_carry_their_values_and_counters_their_office(client, supervisor, counters):
    served(counters[1], 1, (9, 0), (9, 20))  # 20 minutes of 525: 3.8 %
    served(counters["tanno"], 1, (10, 0), (10, 2))  # 2 minutes: 0.4 %
    html = page(client, supervisor)
    util = chart(html, "窓口の稼働率")
    assert "<title>本庁 1番窓口：3.8%</title>" in util
    assert "<title>端野支所 1番窓口：0.4%</title>" in util
    assert '<text x="' in util and ">0.4%</text>" in util  # not rounded away to no label
    csv = client.get(reverse("analytics:dashboard_csv"), {"start": DAY, "end": DAY})
    text = csv.content.decode("utf-8-sig")
    assert "窓口の稼働率,本庁 1番窓口,,,,20.0,3.8" in text
    assert "窓口の稼働率,端野支所 1番窓口,,,,2.0,0.4" in text


def test_a_bar_is_labelled_with_its_value_as_the_tables_print_it():
    svg = charts.bars([("a", 2.75), ("b", 0), ("c", None), ("d", 12)], unit="分")
    assert ">2.8分</text>" in svg and ">0分</text>" in svg and ">12分</text>" in svg
    assert "<title>c：—</title>" in svg
