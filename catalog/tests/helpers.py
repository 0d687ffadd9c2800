"""Building cases for navigator tests: people with every fact known unless a test says so.

Scenario files leave out what is false; here `person()` does the same (booleans false,
no handbooks, 日本国籍, a 世帯員 who moves), so each test writes only the facts it is
about. Pass `unknown=[...]` to leave facts out, which the navigator reads as unknown.
"""

from datetime import date
from functools import cache
from pathlib import Path

from catalog.navigator import Case, Person, navigate
from catalog.pack import Pack, load_pack

PACK_DIR = Path(__file__).resolve().parents[2] / "catalogs" / "default"


@cache
def pack() -> Pack:
    return load_pack(PACK_DIR)


def person(pid: str, birth: date | str | None, *, unknown=(), **facts) -> Person:
    out: dict = {}
    for fact in pack().facts.values():
        if fact.scope != "person":
            continue
        if fact.type == "bool":
            out[fact.id] = False
        elif fact.type == "set":
            out[fact.id] = frozenset()
    out.update(
        nationality="JP",
        role="member",
        moving=True,
        relation="世帯主",
        health_insurance="shaho",
        pension_category="2",
        sex="1",
    )
    if birth is not None:
        out["birth_date"] = date.fromisoformat(birth) if isinstance(birth, str) else birth
    out.update(facts)
    for name in unknown:
        out.pop(name, None)
    return Person(pid, out)


def visit(events, on: date | str, *people: Person, unknown=(), **household) -> Case:
    hh = {f.id: False for f in pack().facts.values() if f.scope == "household"}
    hh.update(household)
    for name in unknown:
        hh.pop(name, None)
    if isinstance(events, str):
        events = [events]
    on = date.fromisoformat(on) if isinstance(on, str) else on
    return Case(events=list(events), date=on, household=hh, people=list(people))


def key(result) -> str:
    return result.id + (f"@{result.person}" if result.person else "")


def applies(case: Case, p: Pack | None = None) -> set[str]:
    return {key(r) for r in navigate(p or pack(), case) if r.status == "applies"}


def needs_check(case: Case, p: Pack | None = None) -> set[str]:
    return {key(r) for r in navigate(p or pack(), case) if r.status == "needs_check"}


def result(case: Case, wanted: str, p: Pack | None = None):
    return next(r for r in navigate(p or pack(), case) if key(r) == wanted)
