"""What the counter's search box finds besides the register (residents.search): visits by
their 受付番号, and the newcomers of accepted 転入 who are not in the register yet.

Also the home page's 最近の来庁 rows, written for people: names, 和暦 and the pack's labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from accounts import access, audit
from catalog.pack import default_pack
from counter.models import Visit, VisitPerson
from lib import searchkey
from lib.wareki import DateParseError, parse_date
from residents.models import Resident
from residents.practice import in_practice
from residents.search import UNLISTED, EmptyQuery, Reading, households_of, read_query

_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {ord(c): "-" for c in "‐‑‒–—―−ー－"}
# counter.services numbers visits 「YYYYMMDD-OFF-NNN」; staff read out or type a part of it:
# 「0456」 (today's, this office), 「HON-012」 (today's, that office), 「20260401-012」 or
# 「R8.4.1-012」 (that day, this office) and the whole number.
_SEQ = re.compile(r"\d{1,4}")
_OFFICE_SEQ = re.compile(r"([A-Z]{1,3})-(\d{1,4})")
_DAY_SEQ = re.compile(r"(.+?)-(?:([A-Z]{1,3})-)?(\d{1,4})")

# A newcomer is in the register once the register's import has run (days, at most weeks);
# older ones are found there. This bounds the rows a search reads in Python.
NEWCOMER_WINDOW = timedelta(days=180)
NEWCOMER_MAX_ROWS = 5000
MAX_VISITS = 20
SEARCH_LIMIT = 50  # the register's hits a search shows (their households)


def _number(day: date, office: str, seq: str) -> str:
    return f"{day:%Y%m%d}-{office.upper()[:3]}-{int(seq):03d}"


def visit_numbers(query: str, *, office_code: str, today: date) -> list[str]:
    """The full visit numbers the text can mean (none when it is no visit number)."""
    text = query.translate(_ASCII).strip().upper()
    if _SEQ.fullmatch(text):
        return [_number(today, office_code, text)]
    if m := _OFFICE_SEQ.fullmatch(text):
        return [_number(today, m[1], m[2])]
    if m := _DAY_SEQ.fullmatch(text):
        try:
            day = parse_date(m[1].rstrip("-"))
        except DateParseError:
            return []
        return [_number(day, m[2] or office_code, m[3])]
    return []


def find_visits(request, query: str) -> list[RecentVisit]:
    """Visits whose 受付番号 the text is, among those this staff member may open."""
    staff = access.staff_of(request)
    numbers = visit_numbers(query, office_code=staff.office.code, today=timezone.localdate())
    if not numbers:
        return []
    visits = _with_people(Visit.objects.filter(number__in=numbers)).order_by("-created_at")
    return [describe(v) for v in visits[:MAX_VISITS] if access.may_open(staff, v)]


def find_households(request, query: str, *, fold_voicing: bool, sex: str | None = None):
    """The register's households for the search text, as the search box lists them:
    (households, more). 支援措置 households are left out of address matches for staff who may
    not see them (access.may_see_protected); `sex` narrows a card's search. Raises EmptyQuery
    or DateParseError as residents.search does."""
    hide = not access.may_see_protected(request.user)
    found = Resident.objects.matching(query, hide_protected=hide, fold_voicing=fold_voicing)
    if sex:
        found = found.filter(sex=sex)
    hits = list(found.select_related("household").defer(*UNLISTED)[: SEARCH_LIMIT + 1])
    hit_ids = {r.id for r in hits[:SEARCH_LIMIT]}
    households = [
        {"household": h, "members": members, "hit_ids": hit_ids}
        for h, members in households_of(hits[:SEARCH_LIMIT]).items()
    ]
    return households, len(hits) > SEARCH_LIMIT


def show_households(request, households, query: str, **detail) -> None:
    """What showing a search's households takes: one audit entry with every resident shown (the
    audit screen finds it under each of them), and each household's address hidden from staff
    who may not see a 支援措置 household's (h["address_hidden"])."""
    audit.record(
        request.user,
        "resident.searched",
        resident_ids=[r.id for h in households for r in h["members"]],
        request=request,
        query=query,
        **detail,
    )
    for h in households:
        h["address_hidden"] = access.protection(
            request.user, h["household"], request=request, where="search"
        ).hidden


@dataclass(frozen=True)
class Newcomer:
    person: VisitPerson
    visit: Visit


def _matches(reading: Reading, vp: VisitPerson, fold_voicing: bool) -> bool:
    if reading.birth_date is not None and vp.birth_date != reading.birth_date:
        return False
    if reading.kind is None:
        return reading.birth_date is not None
    _s, _sep, given = vp.name.partition("\u3000")
    _ks, _sep, kana_given = vp.name_kana.partition("\u3000")
    if reading.kind == "kana":
        keys = [searchkey.kana_key(vp.name_kana), searchkey.kana_key(kana_given)]
        if fold_voicing:
            plain = searchkey.seion_key(reading.key)
            return any(
                k.startswith(reading.key) or searchkey.seion_key(k).startswith(plain) for k in keys
            )
        return any(k.startswith(reading.key) for k in keys)
    if reading.kind in ("name", "name_or_address"):
        return any(searchkey.name_key(n).startswith(reading.key) for n in (vp.name, given) if n)
    if reading.kind == "alpha":
        return searchkey.kana_key(vp.name).startswith(reading.key)
    return False


def find_newcomers(
    request, query: str, *, fold_voicing: bool = True
) -> tuple[list[Newcomer], list[Newcomer]]:
    """People not in the register yet, matching the text as the register's search would
    (reading, name, birth date): those added at an accepted 転入, and those of visits still
    open (prepared before the resident came — the 転入予約 feed, a pre-entry — or being taken
    at another counter). Exact readings first in each."""
    try:
        reading = read_query(query)
    except (EmptyQuery, DateParseError):
        return [], []
    if reading.kind in ("number", "address"):
        return [], []
    staff = access.staff_of(request)
    since = timezone.now() - NEWCOMER_WINDOW
    accepted = {"visit__status": Visit.Status.ACCEPTED, "visit__accepted_at__gte": since}
    waiting = {"visit__status": Visit.Status.DRAFT, "visit__created_at__gte": since}
    return tuple(
        _newcomers(reading, staff, fold_voicing, visits, newest)
        for visits, newest in ((accepted, "-visit__accepted_at"), (waiting, "-visit__created_at"))
    )


def _newcomers(reading, staff, fold_voicing, visits, newest) -> list[Newcomer]:
    people = (
        VisitPerson.objects.filter(
            resident__isnull=True,
            # People are reached here without their visit's manager: the register in use.
            visit__training=in_practice(),
            **visits,
        )
        .select_related("visit", "visit__office")
        .order_by(newest, "order")[:NEWCOMER_MAX_ROWS]
    )
    out = []
    for vp in people:
        if _matches(reading, vp, fold_voicing) and access.may_open(staff, vp.visit):
            out.append(Newcomer(vp, vp.visit))
    exact = [n for n in out if _matches(reading, n.person, False)]
    return exact + [n for n in out if n not in exact]


@dataclass(frozen=True)
class RecentVisit:
    visit: Visit
    names: list[str]
    event_labels: list[str]


def _with_people(visits):
    people = VisitPerson.objects.select_related("resident").order_by("-applicant", "order", "id")
    return visits.prefetch_related(Prefetch("people", queryset=people))


def recent_visits(office_id: int, limit: int = 10) -> list[RecentVisit]:
    """The home page's 最近の来庁: who came (届出人 first), for what, in the pack's words."""
    visits = _with_people(Visit.objects.filter(office_id=office_id)).order_by("-created_at")
    return [describe(v) for v in visits[:limit]]


def describe(visit: Visit) -> RecentVisit:
    events = default_pack().events
    return RecentVisit(
        visit=visit,
        names=[vp.display_name for vp in visit.people.all() if vp.display_name],
        event_labels=[events[e].name if e in events else e for e in visit.events],
    )
