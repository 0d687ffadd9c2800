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
from django.db.models import Count, F, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from analytics.consultations import consultation_figures
from backoffice.models import Task
from counter.models import Visit
from queues.models import Counter, Reservation, Ticket, TicketTransition
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


def arrivals(lo: datetime, hi: datetime, office=None):
    """The visits residents came to in [lo, hi), with when they came: (visits, [(pk, at)]).

    A visit prepared ahead of the resident (the 転入予約 feed, おくやみ予約: a reservation's
    visit) is not a 来庁 when it is opened but when the resident arrives: the first ticket
    issued for the reservation (来庁受付), or, served without a ticket, its acceptance. Until
    then it is not counted. Every other visit came when it was opened."""
    prepared = Reservation.objects.filter(visit__isnull=False)
    walk_ins = Visit.objects.filter(created_at__gte=lo, created_at__lt=hi).exclude(
        pk__in=prepared.values("visit_id")
    )
    came = (
        prepared.annotate(came=Coalesce(Min("tickets__issued_at"), F("visit__accepted_at")))
        .filter(came__gte=lo, came__lt=hi)
        .values_list("visit_id", "came")
    )
    if office is not None:
        walk_ins, came = walk_ins.filter(office=office), came.filter(visit__office=office)
    came = list(came)
    visits = Visit.objects.filter(
        Q(pk__in=walk_ins.values("pk")) | Q(pk__in=[pk for pk, _at in came])
    )
    return visits, list(walk_ins.values_list("pk", "created_at")) + came


def hours_shown(per_hour) -> range:
    """The office hours, widened to every hour that had a visit (an evening opening, a visit
    entered at 7:50): an hour with visits is never left off the chart."""
    first, last = OFFICE_HOURS[0].hour, OFFICE_HOURS[1].hour
    active = [h for h, n in per_hour.items() if n]
    return range(min([first, *active]), max([last, *active]) + 1)


def dashboard(*, start: date, end: date, office=None) -> dict:
    lo, hi = _bounds(start, end)
    tickets = Ticket.objects.filter(day__gte=start, day__lte=end)
    if office is not None:
        tickets = tickets.filter(office=office)
    visits, came = arrivals(lo, hi, office)
    rows = (
        TicketTransition.objects.filter(ticket__in=tickets)
        .order_by("ticket_id", "at", "id")
        .values_list("ticket_id", "ticket__purpose", "kind", "at", "department_id", "counter_id")
    )
    seg = segments(rows)
    depts = dict(apps.get_model("accounts", "Department").objects.values_list("id", "name"))
    counters = {c.pk: c for c in Counter.objects.select_related("office")}

    per_day, per_hour = Tally(), Tally()
    for _pk, at in came:
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
            "label": counter_label(counters[c]),
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
        "visits_total": len(came),
        "tickets_total": tickets.count(),
        "visits_per_day": [(d, per_day[d]) for d in days],
        "visits_per_hour": [(h, per_hour[h]) for h in hours_shown(per_hour)],
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


def counter_label(counter) -> str:
    """本庁 1番窓口: counters are numbered per office, so the number alone names several."""
    return f"{counter.office.name} {counter}"


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


CSV_HEADER = [
    _l("区分"),
    _l("項目"),
    _l("件数"),
    _l("中央値（分）"),
    _l("90%点（分）"),
    _l("対応時間の計（分）"),
    _l("稼働率（%）"),
]


def csv_rows(d: dict):
    """The dashboard as one long table, headed in Japanese: a section, its item, then the
    columns that section has (the others empty)."""
    yield [str(h) for h in CSV_HEADER]
    sections = (
        ("wait_by_purpose", _l("待ち時間（ご用件別）")),
        ("wait_by_department", _l("待ち時間（担当課別）")),
        ("service_by_purpose", _l("対応時間（ご用件別）")),
        ("service_by_department", _l("対応時間（担当課別）")),
    )
    for key, section in sections:
        for g in d[key]:
            yield [section, g["label"], g["n"], _r(g["median"]), _r(g["p90"]), "", ""]
    for day, n in d["visits_per_day"]:
        yield [_l("日別の来庁数"), day.isoformat(), n, "", "", "", ""]
    for hour, n in d["visits_per_hour"]:
        yield [_l("時間帯別の来庁数"), _("%(h)s時台") % {"h": hour}, n, "", "", "", ""]
    for u in d["utilisation"]:
        busy, rate = round(u["busy_minutes"], 1), round(u["rate"] * 100, 1)
        yield [_l("窓口の稼働率"), u["label"], "", "", "", busy, rate]
    for name, n in d["tasks_open"] or []:
        yield [_l("担当課の未完了業務"), name, n, "", "", "", ""]
    for c in d["consultations"] or []:
        wait, talk = c["median_wait_s"], c["median_talk_s"]
        yield [
            _l("リモート相談の待ち時間"),
            c["department"],
            c["requested"],
            _r(wait / 60 if wait is not None else None),
            "",
            "",
            "",
        ]
        yield [
            _l("リモート相談の相談時間"),
            c["department"],
            c["connected"],
            _r(talk / 60 if talk is not None else None),
            "",
            "",
            "",
        ]
    if d["procedures"]:
        for k, n in d["procedures"]["histogram"]:
            yield [_l("1来庁あたりの手続き数"), _("%(k)s件") % {"k": k}, n, "", "", "", ""]
    if d["fills"]:
        names = {
            "forms": _l("様式"),
            "prefilled": _l("記入済みで印刷した欄"),
            "to_write": _l("手書きの欄"),
            "signatures": _l("署名"),
        }
        for k, name in names.items():
            yield [_l("申請書の記入欄"), name, d["fills"][k], "", "", "", ""]


def _r(x):
    return "" if x is None else round(float(x), 2)
