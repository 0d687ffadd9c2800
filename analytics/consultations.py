"""Consultation figures for the supervisors' dashboard, computed from ConsultationEvent rows."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from statistics import median

from django.utils import timezone

from remote.models import ConsultationEvent

KINDS = [k for k, _label in ConsultationEvent.Kind.choices]


def consultation_figures(start: date, end: date, office=None) -> list[dict]:
    """One row per department: how many of each transition, median wait and talk time (s).

    Wait is requested → admitted; talk is connected → ended. A consultation counts in the
    range of its request.
    """
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    events = ConsultationEvent.objects.filter(
        consultation__requested_at__gte=since, consultation__requested_at__lt=until
    )
    if office is not None:
        events = events.filter(consultation__office=office)
    times: dict[int, dict[str, datetime]] = defaultdict(dict)
    dept_of: dict[int, str] = {}
    for cid, kind, at, dept in events.values_list(
        "consultation_id", "kind", "at", "consultation__department__name"
    ):
        times[cid].setdefault(kind, at)
        dept_of[cid] = dept
    rows: dict[str, dict] = {}
    for cid, seen in times.items():
        row = rows.setdefault(
            dept_of[cid],
            {"department": dept_of[cid], **dict.fromkeys(KINDS, 0), "_wait": [], "_talk": []},
        )
        for kind in seen:
            row[kind] += 1
        if "requested" in seen and "admitted" in seen:
            row["_wait"].append((seen["admitted"] - seen["requested"]).total_seconds())
        if "connected" in seen and "ended" in seen:
            row["_talk"].append((seen["ended"] - seen["connected"]).total_seconds())
    out = []
    for row in sorted(rows.values(), key=lambda r: r["department"]):
        wait, talk = row.pop("_wait"), row.pop("_talk")
        row["median_wait_s"] = round(median(wait)) if wait else None
        row["median_talk_s"] = round(median(talk)) if talk else None
        out.append(row)
    return out
