"""The counter search box: one text field, read as a birth date, a reading, a name, an address
or a 宛名番号, and matched on the search keys (lib.searchkey) with index range scans.

A prefix is the range `key >= q AND key < q + U+10FFFF`, which a B-tree serves on SQLite
(BINARY order) and, with the text_pattern_ops indexes of residents.models and the byte-order
operators ~>=~ ~<~, on PostgreSQL under any database collation. LIKE 'q%' would need
case_sensitive_like on SQLite and a C collation on PostgreSQL to use an index at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, F, Lookup, Prefetch, Q, Value, When, prefetch_related_objects

from lib import searchkey
from lib.kana import is_kana
from lib.wareki import ERAS, DateParseError, parse_date
from residents import data
from residents.models import Household, Resident
from tenants import scope

__all__ = [
    "DateParseError",
    "EmptyQuery",
    "KeyPrefix",
    "Reading",
    "UNLISTED",
    "households_of",
    "match_residents",
    "read_query",
]

TOP = "\U0010ffff"  # sorts after every character, in UTF-8 bytes as in code points
MAX_HITS = 200  # per alternative; a counter screen shows far fewer and asks to narrow down


class EmptyQuery(ValueError):
    """Nothing to search for; str() is the message for staff."""

    def __init__(self, message: str = "検索語を入力してください"):
        super().__init__(message)


class KeyPrefix(Lookup):
    """`lhs` starts with the value, written as a range an ordinary B-tree index serves."""

    lookup_name = "keyprefix"
    prepare_rhs = False

    def _range(self, compiler, connection, ge: str, lt: str):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"({lhs} {ge} %s AND {lhs} {lt} %s)", (
            *lhs_params,
            self.rhs,
            *lhs_params,
            self.rhs + TOP,
        )

    def as_sql(self, compiler, connection):
        return self._range(compiler, connection, ">=", "<")

    def as_postgresql(self, compiler, connection):
        # Byte order whatever the collation; served by the text_pattern_ops indexes.
        return self._range(compiler, connection, "~>=~", "~<~")


def _prefix(field: str, key: str) -> Q:
    return Q(KeyPrefix(F(field), key))


# --- reading the text ----------------------------------------------------------------

_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: " "}
_ERA_WRITINGS = sorted(
    {w for e in ERAS for w in (e.name, e.name[0], e.letter, e.symbol)}, key=len, reverse=True
)
# Enough of a date to say "this was meant as a date": an era and a year, or four digits and
# a separator. What parse_date then rejects is reported, not searched as a name. Eight bare
# digits that are no date stay a 宛名番号.
_DATE_LIKE = re.compile(
    r"(?:" + "|".join(map(re.escape, _ERA_WRITINGS)) + r")\s*(?:\d{1,2}|元)"
    r"|(?:西暦)?\s*\d{4}\s*(?:[-/.]|年)",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d")
_ALPHA = re.compile(r"[A-Za-z][A-Za-z .,'\-]*")
_NUMBER = re.compile(r"\d{1,20}")
# A block or lot number: 4条, 三丁目, 12番地, 5号, 1-2 …; a name never has these.
_ADDRESS_MARK = re.compile(
    r"[0-9一二三四五六七八九十]\s*(?:条|丁目|番|号)|\d\s*[-‐‑‒–—―−－ー]\s*\d|丁目|番地"
)
_PREF = re.compile(r"(?:北海道|東京都|京都府|大阪府|[^\s\d]{2,3}県)")
_CITY_AFTER_PREF = re.compile(
    r"[^\s\d]+?郡[^\s\d]+?[町村]|[^\s\d]+?市(?:[^\s\d]+?区)?|[^\s\d]+?[区町村]"
)


@dataclass(frozen=True, slots=True)
class Reading:
    """How the search box text was read: a birth date, a text part of some kind, or both."""

    kind: str | None = None  # kana, name, alpha, address, name_or_address, number
    key: str = ""  # the name/reading key, or the 宛名番号
    address: str = ""  # the address key (address, name_or_address)
    birth_date: date | None = None

    def describe(self) -> str:
        """What the view can show above the hits: 「生年月日 1980-03-02 ・ フリガナ カサイ」."""
        parts = []
        if self.birth_date:
            parts.append(f"生年月日 {self.birth_date.isoformat()}")
        label = {
            "kana": "フリガナ",
            "name": "氏名",
            "alpha": "氏名（アルファベット）",
            "address": "住所",
            "name_or_address": "氏名または住所",
            "number": "宛名番号",
        }
        if self.kind:
            parts.append(
                f"{label[self.kind]} {self.address if self.kind == 'address' else self.key}"
            )
        return " ・ ".join(parts)


def _looks_like_date(text: str) -> bool:
    return bool(_DATE_LIKE.match(text.translate(_ASCII).strip()))


def _strip_city(text: str) -> tuple[str, bool]:
    """The text without a leading 都道府県 and 市区町村; True when something was stripped."""
    rest = text
    if m := _PREF.match(rest):
        rest = rest[m.end() :]
        if m := _CITY_AFTER_PREF.match(rest):
            rest = rest[m.end() :]
        return rest.strip(), True
    # The city itself is often written without its 都道府県 (the pack's municipality).
    city = scope.municipality()["name"]
    if city and rest.startswith(city):
        return rest[len(city) :].strip(), True
    return rest, False


def _read_text(text: str) -> Reading:
    ascii_text = text.translate(_ASCII).strip()
    if _NUMBER.fullmatch(ascii_text):
        return Reading("number", ascii_text)
    if is_kana(text):
        return Reading("kana", searchkey.kana_key(text))
    if _ALPHA.fullmatch(ascii_text):
        return Reading("alpha", searchkey.kana_key(ascii_text))
    rest, stripped = _strip_city(text)
    if stripped or _DIGITS.search(ascii_text) or _ADDRESS_MARK.search(rest):
        return Reading("address", address=searchkey.address_key(rest))
    if rest.startswith(data.town_names()):
        # 小泉 and 三輪 are towns and surnames too: look for both.
        return Reading("name_or_address", searchkey.name_key(text), searchkey.address_key(rest))
    return Reading("name", searchkey.name_key(text))


def read_query(query: str | None) -> Reading:
    """Decide what the search box text is. Raises EmptyQuery, or DateParseError for a
    date that was meant as one but does not exist (平成32年)."""
    text = (query or "").strip()
    if not text:
        raise EmptyQuery()
    try:
        return Reading(birth_date=parse_date(text))
    except DateParseError:
        pass
    tokens = text.split()
    dates = [t for t in tokens if _looks_like_date(t)]
    rest = [t for t in tokens if t not in dates]
    # 「カサイ 1988-05-12」: a name and a date. A rest with digits is a date split by spaces.
    if dates and rest and not any(_DIGITS.search(t.translate(_ASCII)) for t in rest):
        born = {parse_date(t) for t in dates}
        if len(born) > 1:
            raise DateParseError("生年月日は1つだけ入力してください")
        part = _read_text(" ".join(rest))
        return Reading(part.kind, part.key, part.address, born.pop())
    if _looks_like_date(text):
        parse_date(text)  # raises the message for staff
    return _read_text(text)


def _branches(r: Reading, hide_protected: bool = False, fold_voicing: bool = False) -> list[Q]:
    """The alternatives the text matches (ORed); each is one index range or lookup."""
    born = Q(birth_date=r.birth_date) if r.birth_date is not None else Q()
    if r.kind is None:
        return [born]
    if r.kind == "number":
        # A 宛名番号, or a 世帯番号 as the screens show it: the whole household.
        household = Household.objects.filter(household_no=r.key).values("pk")
        return [born & Q(person_no=r.key), born & Q(household__in=household)]
    households = Household.objects.filter(KeyPrefix(F("address_key"), r.address))
    if hide_protected:
        # A hit by address would tell where a 支援措置 (DV protection) resident lives.
        households = households.exclude(residents__support_measure=True)
    address = Q(household__in=households.values("pk"))
    if r.kind == "address":
        return [born & address]
    if not r.key:  # only separators or marks were typed: nothing can match
        return [Q(pk__in=[])]
    if r.kind == "kana":
        exact = [born & _prefix("kana_key", r.key), born & _prefix("kana_given_key", r.key)]
        if not fold_voicing:
            return exact
        plain = searchkey.seion_key(r.key)
        return [
            *exact,
            born & _prefix("kana_seion_key", plain),
            born & _prefix("kana_given_seion_key", plain),
        ]
    if r.kind == "alpha":
        return [born & _prefix("kana_key", r.key)]
    name = [born & _prefix("name_key", r.key), born & _prefix("given_key", r.key)]
    return [*name, born & address] if r.kind == "name_or_address" else name


def _orders(reading: Reading, branches: list[Q]) -> list[tuple[str, ...]]:
    """The order each branch takes its first MAX_HITS in: kana order, except the folded
    reading branches (the last two of a folded kana search), which walk their own index
    (folded key, then kana) so that a common plain reading costs no sort."""
    orders = [("kana_key", "pk")] * len(branches)
    if reading.kind == "kana" and len(branches) == 4:
        orders[2:] = [
            ("kana_seion_key", "kana_key", "pk"),
            ("kana_given_seion_key", "kana_key", "pk"),
        ]
    return orders


def match_residents(qs, query: str, *, hide_protected: bool = False, fold_voicing: bool = True):
    """Residents matching the search box text, in kana order, with each household joined.

    With fold_voicing a reading also matches without its 濁点・半濁点 (ヤマサキ finds
    ヤマザキ, ヤマザキ finds ヤマサキ); the readings that match as typed come first.

    At most MAX_HITS per alternative (surname, given name, address): each alternative takes
    its first hits in kana order straight from its index, so 佐藤 among a million residents
    does not fetch 45,000 rows to show 50. The caller slices ([:50]) and may say "narrow
    down" when it gets MAX_HITS; households_of(hits) then lists each hit's household.
    """
    reading = read_query(query)
    ordered = ("kana_key", "pk")
    branches = _branches(reading, hide_protected, fold_voicing)
    if reading.kind in (None, "alpha"):
        # A birth date has few hits; an alphabet name is a kana_key range the index already
        # walks in order. Nothing to cap, and a simpler query to compile.
        return (
            qs.filter(branches[0], removed_on__isnull=True)
            .select_related("household")
            .order_by(*ordered)
        )
    base = qs.model._base_manager.using(qs.db)
    # One IN over a UNION ALL rather than an OR of INs: PostgreSQL turns the OR into a
    # sequential scan. The extra SELECT around each part keeps its LIMIT legal on SQLite.
    parts = [
        base.filter(pk__in=qs.filter(b).order_by(*order).values("pk")[:MAX_HITS]).values("pk")
        for b, order in zip(branches, _orders(reading, branches), strict=True)
    ]
    found = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    # 消除 residents (kept only for the visits naming them) are left out here, after the capped
    # index walks, which stay index-only; they are few.
    hits = qs.filter(pk__in=found, removed_on__isnull=True).select_related("household")
    if len(branches) == 4 and reading.kind == "kana":
        # Folded: the readings as typed first, then the ones that differ only in 濁点.
        as_typed = branches[0] | branches[1]
        hits = hits.annotate(folded=Case(When(as_typed, then=Value(0)), default=Value(1))).order_by(
            "folded", *ordered
        )
        return hits
    return hits.order_by(*ordered)


# What a list of residents does not show: the encrypted My Number, the facts and the search
# keys. Left unread, a search of 50 households builds its ~150 rows in a third of the time.
UNLISTED = (
    "mynumber_enc",
    "facts",
    "name_key",
    "given_key",
    "kana_key",
    "kana_given_key",
    "kana_seion_key",
    "kana_given_seion_key",
)


def households_of(residents) -> dict[Household, list[Resident]]:
    """The hits' households, in hit order, each with all its members in listing order
    (世帯主 → 配偶者 → 子 …). One query for all the members, however many hits; afterwards
    hit.household.members() is served from the same prefetch (without UNLISTED's columns)."""
    residents = list(residents)
    members = Prefetch("household__residents", queryset=Resident.objects.defer(*UNLISTED))
    prefetch_related_objects(residents, members)
    out: dict[Household, list[Resident]] = {}
    for r in residents:
        if r.household not in out:
            out[r.household] = r.household.members()
    return out
