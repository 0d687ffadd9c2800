"""Scenarios for practice: the pack's and the municipality's YAML files (the format of
../shared/scenarios/FORMAT.md), and the synthetic household each one puts in the training
register for the trainee to find."""

import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml
from django.conf import settings

from catalog.pack import default_pack
from catalog.scenario import Scenario, ScenarioError, load_scenario
from residents.models import Household, Resident
from residents.practice import practising
from tenants import scope

# Synthetic names for scenario people the file leaves unnamed (the navigator needs none).
GIVEN = [("一郎", "イチロウ"), ("花子", "ハナコ"), ("次郎", "ジロウ"), ("桜", "サクラ"),
         ("三郎", "サブロウ"), ("梅", "ウメ"), ("四郎", "シロウ"), ("菊", "キク")]  # fmt: skip
SURNAME = ("練習", "レンシュウ")


@dataclass
class LibraryScenario:
    file: str  # the name shown and stored as the assignment's source
    name: str
    text: str


def library() -> list[LibraryScenario]:
    """The standard examples (catalogs/scenarios/, outside any pack: they are no part of its
    version), then every `scenarios/*.yaml` of the active pack's layers — the municipality's
    own in its overlay's folder — the municipality's last."""
    out = []
    roots = [Path(settings.BASE_DIR) / "catalogs" / "scenarios", *default_pack().layers]
    for root in roots:
        folder = Path(root) if root == roots[0] else Path(root, "scenarios")
        for path in sorted(folder.glob("*.yaml")):
            try:
                sc = load_scenario(path)
            except ScenarioError:
                continue  # `catalog check` reports it; a broken file is not offered
            out.append(LibraryScenario(f"{Path(root).name}/{path.name}", sc.name, path.read_text()))
    return out


def _ymd(d: date, years: int, days: int = 0) -> date:
    return date(d.year - years, d.month, min(d.day, 28)) - timedelta(days=days)


def from_event(event_id: str, on: date) -> tuple[str, str]:
    """(name, YAML) of a synthetic household for one of the catalog's events, dated `on`:
    a working couple with a child, or an elderly couple for a death. Every fact the
    navigator asks about is written, so the expected answer is exact."""
    event = default_pack().events[event_id]
    moving = event.move is not None or event_id.startswith("insurance_")
    adult = {"health_insurance": "shaho", "has_mynumber_card": True, "moving": moving}
    people = [
        {"id": "p1", "relation": "世帯主", "birth_date": _ymd(on, 40), "sex": 1,
         "pension_category": "2", "main_earner": True, "applicant": True, **adult},
        {"id": "p2", "relation": "妻", "birth_date": _ymd(on, 38, 90), "sex": 2,
         "pension_category": "3", **adult},
        {"id": "p3", "relation": "子", "birth_date": _ymd(on, 8, 30), "sex": 2,
         "health_insurance": "shaho", "pension_category": "none", "moving": moving},
    ]  # fmt: skip
    if event_id == "birth":
        people.append({"id": "baby", "role": "newborn", "relation": "子", "sex": 1,
                       "birth_date": on - timedelta(days=7), "birth_weight_g": 3000})  # fmt: skip
    elif event_id == "death":
        people = [
            {"id": "p1", "role": "deceased", "relation": "世帯主", "birth_date": _ymd(on, 82),
             "sex": 1, "health_insurance": "koki", "pension_category": "none",
             "receives_pension": True},
            {"id": "p2", "relation": "妻", "birth_date": _ymd(on, 79, 60), "sex": 2,
             "health_insurance": "koki", "pension_category": "none", "applicant": True,
             "receives_pension": True},
        ]  # fmt: skip
    household = {"new_dwelling": event.move in ("in", "within")}
    if event_id in ("marriage", "divorce"):
        for p in people[:2]:
            p["role"] = "spouse"
    elif event_id == "adoption":
        people[2]["role"] = "adoptee"
    elif event_id == "school_entry":
        people[2].update(birth_date=_ymd(on, 6, 30))  # enters school next April (derived)
        household["after_school_care"] = True
    elif event_id == "insurance_gain":
        people[0].update(health_insurance="kokuho", pension_category="1")
    name = f"{event.name} — 練習用の世帯（{on:%Y-%m-%d}）"
    doc = {"name": name, "event": event_id, "date": on,
           "household": household, "people": people}  # fmt: skip
    return name, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def parse(text: str) -> Scenario:
    """A scenario from YAML text (a supervisor's paste or a stored assignment)."""
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        return load_scenario(f.name)


def person_name(scenario: Scenario, index: int, person: dict) -> tuple[str, str]:
    if person.get("name"):
        return str(person["name"]), str(person.get("name_kana") or "")
    given, kana = GIVEN[index % len(GIVEN)]
    return f"{SURNAME[0]}\u3000{given}", f"{SURNAME[1]}\u3000{kana}"


def newcomer(scenario: Scenario, person: dict) -> bool:
    """Not in the register before the visit: a newborn, or someone moving in."""
    moves_in = any(default_pack().events[e].move == "in" for e in scenario.case.events)
    return person.get("role") == "newborn" or (moves_in and bool(person.get("moving")))


def materialize(scenario: Scenario, tag: str) -> Household | None:
    """The scenario's registered people as a training household (None when all are new).

    Only identity goes into the register: what the interview learns, the trainee asks."""
    registered = [(i, p) for i, p in enumerate(scenario.people) if not newcomer(scenario, p)]
    if not registered:
        return None
    addr = scenario.household.get("address") or {}
    if not addr or "country" in addr:
        addr = {"zip": "0000000", "town": "練習町", "banchi": "1-1"}
    with practising():
        household = Household.objects.create(
            household_no=f"T{tag}",
            zip=str(addr.get("zip") or "0000000"),
            pref=str(addr.get("pref") or scope.municipality()["pref"]),
            city=str(addr.get("city") or scope.municipality()["name"]),
            town=str(addr.get("town") or "練習町"),
            banchi=str(addr.get("banchi") or "1-1"),
            katagaki=str(addr.get("katagaki") or ""),
            phone=str(scenario.household.get("phone") or ""),
        )
        for n, (i, p) in enumerate(registered):
            name, kana = person_name(scenario, i, p)
            Resident.objects.create(
                person_no=f"T{tag}-{n + 1}",
                household=household,
                name=name,
                name_kana=kana,
                birth_date=_date(p.get("birth_date")),
                sex=str(p.get("sex") or "9"),
                relation=str(p.get("relation") or "世帯員"),
                nationality="JP" if p.get("nationality", "JP") == "JP" else str(p["nationality"]),
            )
    return household


def _date(value) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
