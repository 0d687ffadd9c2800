"""Supervisor figures, all computed from recorded rows: ticket transitions, visits, tasks and
printed forms. Nothing is estimated; a period with no rows shows no figure.

Waiting: from issue (or a transfer) to the next call, counted in the line the ticket waited in.
Service: from a call to done or to the transfer that sent the resident on, at that counter.
Utilisation: a counter's service time over the office hours of the days that had tickets.
"""

import statistics
from collections import Counter as Tally
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Count
from django.utils import timezone

from analytics.consultations import consultation_figures
from backoffice.models import Task
from counter.models import Visit
from queues.models import Counter, Ticket, TicketTransition
from queues.purposes import purpose

T = TicketTransition.Kind
OFFICE_HOURS = (time(8, 45), time(17, 30))  # 北見市's counter hours; utilisation's denominator


def percentile(values, p: int) -> float | None:
    """The p-th percentile (1–99), interpolated between closest ranks: quantiles' "inclusive"
    method, which is numpy's default and Excel's PERCENTILE.INC."""
    if not values:
        return None
    if len(values) == 1:  # quantiles() wants two points before Python 3.13
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def summary(seconds: list[float]) -> dict:
    minutes = [s / 60 for s in seconds]
    return {
        "n": len(minutes),
        "median": statistics.median(minutes) if minutes else None,
        "p90": percentile(minutes, 90),
    }


@dataclass
class Segments:
    waits: list = field(default_factory=list)  # (purpose, department_id, seconds)
    services: list = field(default_factory=list)  # (purpose, department_id, counter_id, seconds)


def segments(transitions) -> Segments:
    """Walk each ticket's transitions in order (ticket_id, purpose, kind, at, department_id, counter_id)."""
    out = Segments()
    waiting_since: dict[int, tuple] = {}
    serving: dict[int, tuple] = {}
    for tid, purp, kind, at, dept, counter in transitions:
        if kind == T.ISSUED:
            waiting_since[tid] = (at, dept)
        elif kind == T.CALLED:
            if tid in waiting_since:
                start, wdept = waiting_since.pop(tid)
                out.waits.append((purp, wdept, (at - start).total_seconds()))
            serving.setdefault(tid, (at, dept, counter))
        elif kind in (T.DONE, T.TRANSFERRED, T.HELD, T.CLOSED):
            if tid in serving:
                start, sdept, scounter = serving.pop(tid)
                if kind in (T.DONE, T.TRANSFERRED):
                    out.services.append((purp, sdept, scounter, (at - start).total_seconds()))
            if kind == T.TRANSFERRED:
                waiting_since[tid] = (at, dept)
            elif kind in (T.HELD, T.CLOSED):
                waiting_since.pop(tid, None)
    return out


def _bounds(start: date, end: date):
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def _grouped(rows, key) -> list[dict]:
    groups = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row[-1])
    return [{"key": k, **summary(v)} for k, v in sorted(groups.items(), key=lambda kv: str(kv[0]))]


def dashboard(*, start: date, end: date, office=None) -> dict:
    lo, hi = _bounds(start, end)
    tickets = Ticket.objects.filter(day__gte=start, day__lte=end)
    visits = Visit.objects.filter(created_at__gte=lo, created_at__lt=hi)
    if office is not None:
        tickets, visits = tickets.filter(office=office), visits.filter(office=office)
    rows = (
        TicketTransition.objects.filter(ticket__in=tickets)
        .order_by("ticket_id", "at", "id")
        .values_list("ticket_id", "ticket__purpose", "kind", "at", "department_id", "counter_id")
    )
    seg = segments(rows)
    depts = dict(apps.get_model("accounts", "Department").objects.values_list("id", "name"))
    counters = {c.pk: c for c in Counter.objects.select_related("office")}

    per_day, per_hour = Tally(), Tally()
    for at in visits.values_list("created_at", flat=True):
        local = timezone.localtime(at)
        per_day[local.date()] += 1
        per_hour[local.hour] += 1
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    ticket_days = set(tickets.values_list("day", flat=True).distinct())

    open_seconds = (
        datetime.combine(date.min, OFFICE_HOURS[1]) - datetime.combine(date.min, OFFICE_HOURS[0])
    ).total_seconds()
    busy = Tally()
    for _p, _d, c, s in seg.services:
        busy[c] += s
    utilisation = [
        {
            "counter": counters[c],
            "busy_minutes": busy[c] / 60,
            "rate": busy[c] / (open_seconds * max(1, len(ticket_days))),
        }
        for c in sorted(busy, key=lambda c: (counters[c].office_id, counters[c].number))
        if c in counters
    ]

    return {
        "start": start,
        "end": end,
        "office": office,
        "visits_total": visits.count(),
        "tickets_total": tickets.count(),
        "visits_per_day": [(d, per_day[d]) for d in days],
        "visits_per_hour": [(h, per_hour[h]) for h in range(8, 19)],
        "wait_by_purpose": _relabel(
            _grouped(seg.waits, lambda r: r[0]), lambda k: purpose(k).label
        ),
        "wait_by_department": _relabel(
            _grouped(seg.waits, lambda r: r[1]), lambda k: depts.get(k, "—")
        ),
        "service_by_purpose": _relabel(
            _grouped([(p, s) for p, _d, _c, s in seg.services], lambda r: r[0]),
            lambda k: purpose(k).label,
        ),
        "service_by_department": _relabel(
            _grouped([(d, s) for _p, d, _c, s in seg.services], lambda r: r[0]),
            lambda k: depts.get(k, "—"),
        ),
        "utilisation": utilisation,
        **_procedures(visits),
        **_fills(visits),
        "tasks_open": _tasks_open(office),
        "consultations": consultation_figures(start, end, office),
    }


def _relabel(groups, label):
    for g in groups:
        g["label"] = str(label(g["key"]))
    return groups


def _procedures(visits) -> dict:
    """Procedures per accepted visit: the tasks the acceptance handed to departments."""
    counts = list(
        visits.filter(status=Visit.Status.ACCEPTED)
        .annotate(n=Count("tasks"))
        .values_list("n", flat=True)
    )
    return {
        "procedures": {
            "visits": len(counts),
            "mean": statistics.mean(counts) if counts else None,
            "median": statistics.median(counts) if counts else None,
            "histogram": sorted(Tally(counts).items()),
        }
    }


def _fills(visits) -> dict:
    """Boxes the printed forms arrived with, against the boxes left for the resident to write."""
    try:
        FormFill = apps.get_model("printing", "FormFill")
    except LookupError:
        return {"fills": None}
    return {"fills": FormFill.objects.filter(packet__visit__in=visits).totals()}


def _tasks_open(office) -> list[tuple[str, int]]:
    qs = Task.objects.open()
    if office is not None:
        qs = qs.filter(visit__office=office)
    return list(
        qs.values_list("department__name")
        .annotate(n=Count("id"))
        .order_by("-n", "department__name")
    )


def csv_rows(d: dict):
    """The dashboard as one long table: section, key, figures."""
    yield ["section", "key", "n", "median_min", "p90_min"]
    for section in (
        "wait_by_purpose",
        "wait_by_department",
        "service_by_purpose",
        "service_by_department",
    ):
        for g in d[section]:
            yield [section, g["label"], g["n"], _r(g["median"]), _r(g["p90"])]
    for day, n in d["visits_per_day"]:
        yield ["visits_per_day", day.isoformat(), n, "", ""]
    for hour, n in d["visits_per_hour"]:
        yield ["visits_per_hour", f"{hour:02d}", n, "", ""]
    for u in d["utilisation"]:
        yield [
            "counter_utilisation",
            f"{u['counter'].office.code}-{u['counter'].number}",
            round(u["busy_minutes"], 1),
            round(u["rate"], 3),
            "",
        ]
    for name, n in d["tasks_open"] or []:
        yield ["tasks_open", name, n, "", ""]
    for c in d["consultations"] or []:
        yield [
            "remote_consultations",
            c["department"],
            c["requested"],
            _r(c["median_wait_s"] / 60 if c["median_wait_s"] is not None else None),
            _r(c["median_talk_s"] / 60 if c["median_talk_s"] is not None else None),
        ]
    if d["procedures"]:
        for k, n in d["procedures"]["histogram"]:
            yield ["procedures_per_visit", k, n, "", ""]
    if d["fills"]:
        for k in ("forms", "prefilled", "to_write", "signatures"):
            yield ["form_fields", k, d["fills"][k], "", ""]


def _r(x):
    return "" if x is None else round(float(x), 2)
