"""Benchmark: the navigator on a household of 6 over the full default pack.

    .venv/bin/python bench/navigate.py --json [--runs N]

Prints one JSON object (name, what, runs, median_ms, p95_ms, baseline_median_ms,
baseline_p95_ms, ratio = baseline median / median, baseline, cases). The headline numbers
are one `navigate()` for a 転入 of all six; `cases` adds a 死亡 of the grandfather in the
same household. Each evaluation is the whole list: every rule of the event for every
person, the reasons, the questions and the deadlines.

The baseline is the same navigator with the rules parsed and compiled again on every
evaluation (what it would cost to interpret the YAML's rule text each time instead of
compiling the pack once at load). No Django settings or database are needed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import p95, timed  # noqa: E402
from catalog.navigator import Case, Person, navigate  # noqa: E402
from catalog.pack import Pack, load_pack  # noqa: E402
from catalog.rules import Compiler, PackDerived  # noqa: E402

PACK_DIR = ROOT / "catalogs" / "default"
BOOL_FACTS = [
    f.id for f in load_pack(PACK_DIR).facts.values() if f.type == "bool" and f.scope == "person"
]
HOUSEHOLD_FACTS = [f.id for f in load_pack(PACK_DIR).facts.values() if f.scope == "household"]


def _person(pid, birth, **facts) -> Person:
    # As a scenario file reads: a yes/no fact not given is "no" (FORMAT.md).
    base = {
        **dict.fromkeys(BOOL_FACTS, False),
        "birth_date": date.fromisoformat(birth),
        "nationality": "JP",
        "role": "member",
        "moving": True,
        "applicant": False,
        "sex": "1",
        "disability_handbooks": frozenset(),
    }
    return Person(pid, {**base, **facts})


def household() -> list[Person]:
    """Three generations; every person has facts that several rules read."""
    return [
        _person("grandpa", "1949-06-02", relation="父", health_insurance="koki",
                pension_category="none", receives_pension=True, care_certified=True,
                has_inkan=True, owns_property=True, has_mynumber_card=True),
        _person("grandma", "1957-11-20", relation="母", sex="2", health_insurance="kokuho",
                pension_category="none", receives_pension=True, wants_inkan=True),
        _person("father", "1985-05-12", relation="世帯主", applicant=True,
                health_insurance="shaho", pension_category="2", has_mynumber_card=True,
                main_earner=True, owns_dog=True, wants_inkan=True),
        _person("mother", "1987-09-03", relation="妻", sex="2", health_insurance="shaho",
                pension_category="3", has_mynumber_card=True, pregnant=True),
        _person("son", "2015-04-01", relation="子", health_insurance="shaho",
                pension_category="none", disability_handbooks=frozenset({"ryoiku"})),
        _person("daughter", "2021-12-24", relation="子", sex="2", health_insurance="shaho",
                pension_category="none"),
    ]  # fmt: skip


def cases() -> dict[str, Case]:
    on = date(2026, 4, 10)
    people = household()
    hh = dict.fromkeys(HOUSEHOLD_FACTS, False)
    tennyu = Case(["tennyu"], on, {**hh, "new_dwelling": True, "wants_daycare": True}, people)
    # The death: the grandfather, who is not the head; nobody moves.
    mourners = [
        replace(p, facts={**p.facts, "moving": False, "role": "deceased"})
        if p.id == "grandpa"
        else replace(p, facts={**p.facts, "moving": False})
        for p in household()
    ]
    death = Case(["death"], on, {**hh, "refund_due": True}, mourners)
    return {"tennyu": tennyu, "death": death}


def naive(pack: Pack):
    """navigate() with every rule it needs parsed and compiled again on each call."""
    names = {e: ev.name for e, ev in pack.events.items()}
    derived_src = pack.documents["derived.yaml"]["derived"]

    def run(case: Case):
        c = Compiler(pack.facts, names, pack.phrases, pack.settings)
        for d in derived_src:
            node = c.compile(d["rule"], person=True)
            c.derived[d["id"]] = PackDerived(d["id"], node, d.get("yes", ""), d.get("no", ""))
        c.defining_subjects = True
        events = {
            e: replace(ev, subject_rule=c.compile(ev.subjects, person=True))
            for e, ev in pack.events.items()
        }
        c.defining_subjects = False
        by_event = {
            e: [
                replace(
                    v,
                    rule=c.compile(v.when, person=v.per == "person"),
                    over_rule=c.compile(v.over, person=True) if v.per == "person" else None,
                )
                for v in pack.by_event[e]
            ]
            for e in case.events
        }
        return navigate(replace(pack, events=events, by_event=by_event), case)

    return run


def _ms(x: float) -> float:
    return round(x, 3)


def measure(pack: Pack, case: Case, runs: int) -> dict:
    slow = naive(pack)
    assert [r.as_json() for r in slow(case)] == [r.as_json() for r in navigate(pack, case)]
    for _ in range(20):  # warm-up: caches, branch predictors, the allocator
        navigate(pack, case)
        slow(case)
    ours = timed(lambda: navigate(pack, case), runs)
    theirs = timed(lambda: slow(case), runs)
    return {
        "results": len(navigate(pack, case)),
        "median_ms": _ms(statistics.median(ours)),
        "p95_ms": _ms(p95(ours)),
        "baseline_median_ms": _ms(statistics.median(theirs)),
        "baseline_p95_ms": _ms(p95(theirs)),
        "ratio": round(statistics.median(theirs) / statistics.median(ours), 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args(argv)

    pack = load_pack(PACK_DIR)
    measured = {name: measure(pack, case, args.runs) for name, case in cases().items()}
    head = measured["tennyu"]
    rules = sum(len(v) for v in pack.by_event.values())
    result = {
        "name": "navigate",
        "what": f"navigate(): 転入 of a household of 6 over the full default pack "
        f"({len(pack.procedures)} procedures, {rules} event rules), reasons and deadlines "
        "included; cases.death is the grandfather's 死亡 in the same household",
        "runs": args.runs,
        "median_ms": head["median_ms"],
        "p95_ms": head["p95_ms"],
        "baseline_median_ms": head["baseline_median_ms"],
        "baseline_p95_ms": head["baseline_p95_ms"],
        "ratio": head["ratio"],
        "baseline": "the same navigator re-parsing and re-compiling every rule it evaluates "
        "on each call (interpreting the rule text instead of the pack compiled once at load)",
        "pack_version": pack.version,
        "cases": measured,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for k, v in result.items():
            print(f"{k:>20}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
