"""The rule language: what it accepts, what it refuses, and how it explains itself."""

from datetime import date

import pytest

from catalog.navigator import Person, _view
from catalog.rules import Compiler, Env, RuleError, View
from catalog.tests.helpers import pack


def _compiler():
    p = pack()
    c = Compiler(p.facts, {e: ev.name for e, ev in p.events.items()}, p.phrases, p.settings)
    c.derived.update(p.derived)
    return c


def _env(*views, h=None, events=("tennyu",), on=date(2026, 4, 10)):
    env = Env(h or {}, list(views), frozenset(events), on, {})
    env.event = events[0]
    env.p = views[0] if views else None
    return env


def _person(pid="x", **facts):
    return _view(pack(), Person(pid, facts), date(2026, 4, 10))


ADULT, OLD, CHILD = date(1990, 1, 1), date(1950, 1, 1), date(2015, 6, 1)


def _one(**facts):
    return lambda: _env(_person("a", **facts))


def _household(*people, **kwargs):
    return lambda: _env(*(_person(str(i), **f) for i, f in enumerate(people)), **kwargs)


# Each rule staff write, with a visit where it holds and one where it does not (the second
# differs in the one fact the rule is about).
RULES = {
    "has_mynumber_card and age >= 65": (
        _one(has_mynumber_card=True, birth_date=OLD),
        _one(has_mynumber_card=True, birth_date=ADULT),
    ),
    "health_insurance in (kokuho, none) and koki_age < 75 and not joins_spouse_insurance": (
        _one(health_insurance="kokuho", birth_date=OLD.replace(1960), joins_spouse_insurance=False),
        _one(health_insurance="kokuho", birth_date=OLD.replace(1960), joins_spouse_insurance=True),
    ),
    "20 <= age < 60 and pension_category not in (2, 3)": (
        _one(birth_date=ADULT, pension_category="1"),
        _one(birth_date=ADULT, pension_category="3"),
    ),
    "h.new_dwelling": (
        lambda: _env(_person(), h={"new_dwelling": True}),
        lambda: _env(_person(), h={"new_dwelling": False}),
    ),
    "h.any(moving and child18)": (
        _household(dict(moving=True, birth_date=ADULT), dict(moving=True, birth_date=CHILD)),
        _household(dict(moving=True, birth_date=ADULT), dict(moving=False, birth_date=CHILD)),
    ),
    "h.any_other(role == spouse and pension_category == 2)": (
        _household(
            dict(role="spouse", pension_category="1"), dict(role="spouse", pension_category="2")
        ),
        _household(
            dict(role="spouse", pension_category="2"), dict(role="spouse", pension_category="1")
        ),
    ),
    "event == tennyu": (_one(), lambda: _env(_person(), events=("tenshutsu",))),
    "tennyu in events or tennyu_abroad in events": (
        lambda: _env(_person(), events=("tennyu_abroad",)),
        lambda: _env(_person(), events=("tenkyo",)),
    ),
    "shintai in disability_handbooks": (
        _one(disability_handbooks={"shintai"}),
        _one(disability_handbooks={"ryoiku"}),
    ),
    "h.count(role != deceased and age >= 15) >= setting.setainushi_henko_min_remaining": (
        _household(
            dict(role="member", birth_date=ADULT),
            dict(role="member", birth_date=ADULT),
            dict(role="deceased", birth_date=OLD),
            events=("death",),
        ),
        _household(
            dict(role="member", birth_date=ADULT),
            dict(role="deceased", birth_date=OLD),
            events=("death",),
        ),
    ),
    "child_until(setting.kodomo_iryo_age)": (_one(birth_date=CHILD), _one(birth_date=ADULT)),
    "relation in (世帯主, 妻, '妻(未届)')": (_one(relation="妻(未届)"), _one(relation="子")),
    "parent and sex == 2": (
        _one(relation="妻", role="member", sex="2"),
        _one(relation="妻", role="member", sex="1"),
    ),
    True: (_one(), None),
}


@pytest.mark.parametrize("text", list(RULES), ids=str)
def test_a_rule_staff_write_holds_where_it_should_and_not_elsewhere(text):
    rule = _compiler().compile(text, person=True)
    holds, fails = RULES[text]
    assert rule.ev(holds()) is True
    if fails is not None:
        assert rule.ev(fails()) is False


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("__import__('os')", "使えない関数"),
        ("(lambda: 1)()", "使えません"),
        ("h.__class__", "事実はありません"),
        ("health_insurance.upper", "h.事実"),
        ("age + 1 > 65", "使えません"),
        ("has_inkan == True", "使えません"),
        ("health_insurance == kokuhoo", "kokuhoo"),
        ("new_dwelling", "h.new_dwelling"),
        ("h.has_inkan", "人の事実"),
        ("age >= kokuho", "数と比べて"),
        ("has_inkan and", "書き方"),
        ("health_insurance", "はい・いいえ"),
        ("event == tenyu", "tenyu"),
        ("setting.nothing > 1", "setting.nothing"),
        ("", "書かれていません"),
    ],
)
def test_it_refuses_anything_else_with_a_message(text, words):
    with pytest.raises(RuleError) as info:
        _compiler().compile(text, person=True)
    assert words in info.value.message


def test_a_visit_rule_cannot_read_a_person_directly():
    with pytest.raises(RuleError):
        _compiler().compile("has_inkan", person=False)
    _compiler().compile("h.any(has_inkan)", person=False)


def test_h_count_is_three_valued():
    rule = _compiler().compile("h.count(has_inkan) >= 2", person=False)
    yes, unknown, no = _person("a", has_inkan=True), _person("b"), _person("c", has_inkan=False)
    assert rule.ev(_env(yes, unknown)) is None
    assert rule.ev(_env(yes, no)) is False
    assert rule.ev(_env(yes, yes)) is True


def test_h_any_other_skips_the_person_the_rule_is_about():
    rule = _compiler().compile("h.any_other(has_inkan)", person=True)
    me, other = _person("a", has_inkan=True), _person("b", has_inkan=False)
    assert rule.ev(_env(me, other)) is False


def test_the_events_of_the_visit_are_visible_to_rules():
    rule = _compiler().compile("tennyu in events", person=True)
    assert rule.ev(_env(_person(), events=("marriage", "tennyu"))) is True
    assert rule.ev(_env(_person(), events=("marriage",))) is False


def test_explanations_use_the_fact_labels():
    rule = _compiler().compile("20 <= age < 60 and pension_category not in (2, 3)", person=True)
    ph: list = []
    view = _person(birth_date=date(1990, 1, 1), pension_category="none")
    assert rule.why(_env(view), ph, []) is True
    assert ph == ["20歳以上60歳未満（36歳）", "国民年金が未加入"]


def test_a_false_rule_is_explained_by_the_part_that_failed():
    rule = _compiler().compile("age >= 65 and has_inkan", person=True)
    ph: list = []
    assert rule.why(_env(_person(birth_date=date(1990, 1, 1), has_inkan=True)), ph, []) is False
    assert ph == ["65歳未満（36歳）"]


def test_views_are_plain_dicts_of_facts():
    assert isinstance(_person(), View)
