"""Completed tasks for core systems (基幹系): the CSV export and the API's person record,
with the item names of 住民記録システム標準仕様書 so that an adapter is a mapping.

Every row of a 支援措置 household (accounts.access: any member flagged, a household task
included) says so in the 支援措置 column, and its address columns are empty unless the reader
is the administrator.
"""

import csv
import io

from django.utils import timezone

from backoffice.models import Task

# (API key, standard item name) for the person and address fields, in CSV column order.
PERSON_FIELDS = [
    ("person_no", "宛名番号"),
    ("household_no", "世帯番号"),
    ("name", "氏名"),
    ("name_kana", "氏名の振り仮名"),
    ("name_alpha", "氏名（アルファベット）"),
    ("birth_date", "生年月日"),
    ("sex", "性別"),
    ("relation", "世帯主との続柄"),
    ("nationality", "国籍・地域"),
    ("zip", "郵便番号"),
    ("address", "住所"),
    ("katagaki", "方書"),
    ("previous_address", "異動前住所"),
    ("event_date", "異動年月日"),
    ("notified_on", "届出の年月日"),
    ("support_measure", "支援措置"),
]
ADDRESS_KEYS = ("zip", "address", "katagaki", "previous_address")
TASK_FIELDS = [
    ("visit", "受付番号"),
    ("procedure", "手続きID"),
    ("title", "手続き名"),
    ("form", "様式"),
    ("deadline", "期限"),
    ("completed_at", "完了日時"),
]


def _join(addr: dict) -> str:
    if addr.get("country"):
        return f"{addr.get('country', '')} {addr.get('text', '')}".strip()
    return "".join(addr.get(k, "") for k in ("pref", "city", "town", "banchi"))


def person_record(task: Task, shown) -> dict:
    """`shown` is accounts.access.protection(reader, task, …): marks the row, hides addresses."""
    visit, vp = task.visit, task.person
    r = vp.resident if vp else None
    hh = r.household if r else visit.household
    current = visit.new_address or (hh.as_address() if hh else {})
    previous = visit.old_address if visit.new_address else {}
    src = r or vp
    rec = {
        "person_no": r.person_no if r else "",
        "household_no": hh.household_no if hh else "",
        "name": src.name if src else "",
        "name_kana": (src.name_kana if src else "") or "",
        "name_alpha": r.name_alpha if r else "",
        "birth_date": src.birth_date.isoformat() if src and src.birth_date else "",
        "sex": src.sex if src else "",
        "relation": src.relation if src else "",
        "nationality": src.nationality if src else "",
        "zip": current.get("zip", ""),
        "address": _join(current),
        "katagaki": current.get("katagaki", ""),
        "previous_address": _join(previous) if previous else "",
        "event_date": visit.event_date.isoformat(),
        "notified_on": timezone.localdate(visit.accepted_at).isoformat()
        if visit.accepted_at
        else "",
        "support_measure": shown.protected,
    }
    if shown.hidden:
        rec.update(dict.fromkeys(ADDRESS_KEYS, ""))
    return rec


def completed_tasks(department, office=None):
    qs = (
        Task.objects.filter(department=department, state=Task.State.DONE)
        .select_related("visit", "person__resident__household", "visit__household", "department")
        .order_by("updated_at", "id")
    )
    return qs.filter(visit__office=office) if office is not None else qs


def tasks_csv(tasks, *, protection_of) -> str:
    """UTF-8 with BOM: the spreadsheet programs of city halls open it as UTF-8 only with it."""
    out = io.StringIO()
    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([name for _k, name in TASK_FIELDS] + [name for _k, name in PERSON_FIELDS])
    for t in tasks:
        rec = person_record(t, protection_of(t))
        row = {
            "visit": t.visit.number,
            "procedure": t.procedure,
            "title": t.title,
            "form": t.form,
            "deadline": t.deadline.isoformat() if t.deadline else "",
            "completed_at": timezone.localtime(t.updated_at).isoformat(timespec="seconds"),
        }
        rec["support_measure"] = "1" if rec["support_measure"] else "0"
        w.writerow([row[k] for k, _n in TASK_FIELDS] + [rec[k] for k, _n in PERSON_FIELDS])
    return out.getvalue()
