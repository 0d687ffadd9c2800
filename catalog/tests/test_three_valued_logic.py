"""Unknown facts (life-events.md §2): Kleene's logic, and needs_check with a question."""

import pytest

from catalog.navigator import Case, Person
from catalog.rules import Compiler, Env, View
from catalog.tests.helpers import applies, needs_check, pack, person, result, visit


def _rule(text):
    p = pack()
    names = {e: ev.name for e, ev in p.events.items()}
    return Compiler(p.facts, names, p.phrases, p.settings).compile(text, person=True)


def _eval(text, **facts):
    view = View(facts)
    view.id = "x"
    env = Env({}, [view], frozenset(), None, {})
    env.p = view
    return _rule(text).ev(env)


@pytest.mark.parametrize(
    ("rule", "facts", "expected"),
    [
        ("has_inkan or owns_dog", {"has_inkan": True}, True),
        ("has_inkan or owns_dog", {"has_inkan": False}, None),
        ("has_inkan or owns_dog", {"has_inkan": False, "owns_dog": False}, False),
        ("has_inkan and owns_dog", {"has_inkan": False}, False),
        ("has_inkan and owns_dog", {"has_inkan": True}, None),
        ("has_inkan and owns_dog", {"has_inkan": True, "owns_dog": True}, True),
        ("not has_inkan", {}, None),
        ("not has_inkan", {"has_inkan": None}, None),
        ("health_insurance in (kokuho, none)", {}, None),
        ("health_insurance != kokuho", {"health_insurance": None}, None),
        ("pension_category not in (2, 3)", {"pension_category": "none"}, True),
    ],
)
def test_rules_follow_kleene_logic(rule, facts, expected):
    assert _eval(rule, **facts) is expected


def test_a_comparison_on_an_unknown_age_is_unknown():
    assert _eval("age >= 65", birth_date=None, age=None) is None


def test_true_or_unknown_applies():
    # kaigo_tenshutsu: age >= 65 or care_certified
    case = visit("tenshutsu", "2026-06-15", person("a", "1959-01-01", unknown=["care_certified"]))
    assert "kaigo_tenshutsu@a" in applies(case)


def test_false_and_unknown_is_not_listed():
    # mynacard_henko: has_mynumber_card and surname_changes
    s = person(
        "s", "1990-01-01", role="spouse", has_mynumber_card=False, unknown=["surname_changes"]
    )
    case = visit(
        "marriage", "2026-05-20", s, person("t", "1990-01-01", role="spouse", applicant=True)
    )
    assert "mynacard_henko@s" not in applies(case) | needs_check(case)


def test_true_and_unknown_needs_a_check_with_the_question_that_settles_it():
    s = person(
        "s", "1990-01-01", role="spouse", has_mynumber_card=True, unknown=["surname_changes"]
    )
    case = visit(
        "marriage", "2026-05-20", s, person("t", "1990-01-01", role="spouse", applicant=True)
    )
    r = result(case, "mynacard_henko@s")
    assert r.status == "needs_check"
    assert r.question == pack().facts["surname_changes"].question
    assert "氏の変更" in r.reason and "要確認" in r.reason
    assert r.unknown == (("s", "surname_changes"),)


def test_an_unknown_birth_date_asks_for_the_birth_date():
    case = visit("tennyu", "2026-04-10", person("a", None))
    r = result(case, "kaigo_tennyu@a")
    assert r.status == "needs_check"
    assert r.question == pack().facts["birth_date"].question


def test_a_missing_fact_and_a_none_value_are_both_unknown():
    missing = Case(
        ["tennyu"], __import__("datetime").date(2026, 4, 10), {}, [Person("a", {"moving": True})]
    )
    none = Case(
        ["tennyu"], missing.date, {}, [Person("a", {"moving": True, "health_insurance": None})]
    )
    assert "kokuho_kanyu@a" in needs_check(missing)
    assert "kokuho_kanyu@a" in needs_check(none)


def test_an_unknown_subject_makes_the_procedure_a_check_not_a_silent_drop():
    case = visit("tennyu", "2026-04-10", person("a", "1950-01-01", unknown=["moving"]))
    assert "kaigo_tennyu@a" in needs_check(case)


def test_reasons_name_the_facts_that_made_the_rule_true():
    case = visit("tennyu", "2026-04-10", person("a", "1958-02-01", has_mynumber_card=True))
    assert result(case, "kaigo_tennyu@a").reason == "65歳以上（68歳）のため"
    assert result(case, "mynacard_keizoku@a").reason == "マイナンバーカードをお持ちのため"


def test_a_needs_check_reason_names_the_unknown_fact():
    case = visit("tennyu", "2026-04-10", person("a", "1958-02-01", unknown=["health_insurance"]))
    r = result(case, "kokuho_kanyu@a")
    assert r.reason == "健康保険が不明のため要確認"
    assert r.question == pack().facts["health_insurance"].question
