"""The public scenario's family of four as a finished pre-entry (synthetic data)."""

from pathlib import Path

import yaml
from django.conf import settings

from preentry import services

SCENARIO = Path(settings.BASE_DIR).parent / "shared" / "scenarios" / "tennyu-family-of-four.yaml"
PERSON_FACTS = ("health_insurance", "pension_category", "has_mynumber_card", "main_earner")


def scenario() -> dict:
    return yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))


def finished_pre_entry(**answers):
    sc = scenario()
    pre = services.create()
    addr, old = sc["household"]["address"], sc["household"]["old_address"]
    services.save_move(
        pre,
        events=[sc["event"]],
        event_date=sc["date"],
        new_address=dict(addr),
        old_address=dict(old),
        phone=sc["household"]["phone"],
    )
    for p in sc["people"]:
        services.add_person(
            pre,
            name=p["name"],
            name_kana=p["name_kana"],
            birth_date=p["birth_date"],
            sex=str(p["sex"]),
            relation=p["relation"],
        )
    given = {}
    for person, p in zip(pre.people.all(), sc["people"], strict=True):
        for fact in PERSON_FACTS:
            if fact in p:
                given[(person.key, fact)] = p[fact]
    given[(None, "wants_daycare")] = True
    given.update(answers)
    services.record_answers(pre, given)
    services.submit(pre)
    pre.refresh_from_db()
    return pre
