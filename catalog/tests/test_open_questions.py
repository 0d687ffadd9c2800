"""The interview asks only for facts that can still change the result, in a stable order."""

from pathlib import Path

from django.conf import settings

from catalog.navigator import open_questions
from catalog.scenario import load_scenario
from catalog.tests.helpers import pack, person, visit

SCENARIOS = Path(settings.BASE_DIR).parent / "shared" / "scenarios"


def _asked(case):
    return [(q.person, q.fact) for q in open_questions(pack(), case)]


def test_it_asks_only_the_unknown_fact_of_the_scenario():
    sc = load_scenario(SCENARIOS / "tennyu-unknown-insurance.yaml", pack())
    questions = open_questions(pack(), sc.case)
    assert [(q.person, q.fact) for q in questions] == [("grandma", "health_insurance")]
    q = questions[0]
    assert q.text == pack().facts["health_insurance"].question
    assert ("kokuho", "国民健康保険") in q.choices
    assert q.impact == 1


def test_it_never_asks_a_known_fact():
    case = visit("tennyu", "2026-04-10", person("a", "1950-01-01", has_mynumber_card=True))
    assert _asked(case) == []


def test_it_does_not_ask_about_someone_who_stays_behind():
    # Only the people who move are looked at for 転出: the dog of one who stays is irrelevant.
    case = visit(
        "tenshutsu",
        "2026-06-15",
        person("go", "1980-01-01"),
        person("stay", "1982-01-01", moving=False, unknown=["owns_dog"]),
    )
    assert _asked(case) == []


def test_it_does_not_ask_what_no_rule_of_the_event_uses():
    # The card matters for 国外転出 only; a move inside Japan never asks for it.
    someone = person("a", "1980-01-01", unknown=["has_mynumber_card"])
    assert _asked(visit("tenshutsu", "2026-06-15", someone)) == []
    assert _asked(visit("tenshutsu_abroad", "2026-06-15", someone)) == [("a", "has_mynumber_card")]


def test_it_does_not_ask_what_an_answered_fact_already_settles():
    # mynacard_henko: has_mynumber_card and surname_changes; no card, so no question.
    s = person("s", "1990-01-01", role="spouse", unknown=["surname_changes"])
    case = visit(
        "marriage", "2026-05-20", s, person("t", "1990-01-01", role="spouse", applicant=True)
    )
    assert ("s", "surname_changes") not in _asked(case)


def test_it_asks_in_the_catalogs_order_of_facts_whatever_their_impact():
    father = person("f", None, main_earner=True)
    child = person("c", "2015-01-01", relation="子")
    questions = open_questions(
        pack(), visit("tennyu", "2026-04-10", father, child, unknown=["single_parent"])
    )
    assert [(q.person, q.fact) for q in questions] == [("f", "birth_date"), (None, "single_parent")]
    assert questions[1].choices == [("true", "はい"), ("false", "いいえ")]
    # The impact is shown but does not order: answering would otherwise reshuffle the screen.
    kids = [person(c, "2022-01-01", relation="子") for c in ("c1", "c2")]
    case = visit(
        "tennyu", "2026-04-10", person("f", "1980-01-01", unknown=["owns_dog"]), *kids,
        unknown=["wants_daycare"],
    )  # fmt: skip
    questions = open_questions(pack(), case)
    assert [(q.fact, q.impact) for q in questions] == [("owns_dog", 1), ("wants_daycare", 2)]


def test_it_asks_nothing_when_every_scenario_fact_is_known():
    sc = load_scenario(SCENARIOS / "tennyu-family-of-four.yaml", pack())
    assert open_questions(pack(), sc.case) == []
