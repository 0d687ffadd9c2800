"""The interview asks a person only what can change some procedure for them (issue 12)."""

import random
from datetime import date, timedelta

import pytest

from catalog.navigator import Case, Person, _env, navigate, open_questions
from catalog.pack import PackError, load_pack
from catalog.tests.helpers import PACK_DIR, pack

ON = date(2026, 4, 10)


def newcomer(pid, birth, sex, relation, applicant=False, **facts):
    """What the counter knows of someone typed in at a 転入: identity only."""
    known = dict(
        birth_date=date.fromisoformat(birth),
        sex=sex,
        relation=relation,
        nationality="JP",
        role="member",
        applicant=applicant,
        moving=True,
    )
    return Person(pid, {**known, **facts})


def family(**father_facts):
    return Case(
        ["tennyu"],
        ON,
        {},
        [
            newcomer("father", "1988-05-12", "1", "世帯主", applicant=True, **father_facts),
            newcomer("mother", "1990-08-03", "2", "妻"),
            newcomer("child1", "2018-06-20", "2", "子"),
            newcomer("child2", "2022-01-15", "1", "子"),
        ],
    )


def asked(case):
    return [(q.person, q.fact) for q in open_questions(pack(), case)]


def asked_of(case, fact):
    return {pid for pid, f in asked(case) if f == fact}


def test_pregnancy_is_asked_of_the_mother_only():
    assert asked_of(family(), "pregnant") == {"mother"}


def test_nobody_under_40_is_asked_about_kaigo_certification():
    assert asked_of(family(), "care_certified") == set()


def test_children_are_not_asked_about_earning_office_or_mopeds():
    case = family()
    for fact in ("main_earner", "public_servant", "owns_moped", "child_support_recipient"):
        assert asked_of(case, fact) == {"father", "mother"}, fact


def test_a_plain_tennyu_never_asks_the_marriage_insurance_question():
    assert asked_of(family(), "joins_spouse_insurance") == set()


def test_a_newcomer_is_not_asked_about_a_seal_registered_in_this_city():
    assert asked_of(family(), "has_inkan") == set()
    # Someone moving in through a marriage is not either; the spouse living here is.
    case = Case(
        ["marriage", "tennyu"],
        ON,
        {},
        [
            newcomer("bride", "1995-01-01", "2", "妻", role="spouse", surname_changes=True),
            newcomer("groom", "1994-01-01", "1", "世帯主", role="spouse", surname_changes=True),
        ],
    )
    case.people[1].facts["moving"] = False
    assert asked_of(case, "has_inkan") == {"groom"}


def test_the_family_of_four_is_asked_30_questions_after_being_added():
    # Was 49 (issue 12). What is left: insurance, card and handbooks of all four, the
    # dog of all four, seal wanted by the adults, pregnancy of the mother, 児童扶養手当,
    # 生計中心者, 公務員 and 原付 of the two adults, and three household questions.
    assert len(asked(family())) == 30


def test_the_main_earner_answered_for_one_is_not_asked_of_the_others():
    case = family(main_earner=True)
    assert asked_of(case, "main_earner") == set()
    # Nor does the mother's 公務員 matter any more: she does not claim 児童手当.
    assert asked_of(case, "public_servant") == {"father"}
    results = {(r.id, r.person) for r in navigate(pack(), case)}
    assert ("jidoteate_nintei", "mother") not in results


def test_a_fact_the_rules_settle_is_not_listed_as_needing_a_check_either():
    # The father's pregnancy is not asked, so ninpu_kenshin must not wait on it.
    listed = {(r.id, r.person) for r in navigate(pack(), family())}
    assert ("ninpu_kenshin", "mother") in listed
    assert not {("ninpu_kenshin", p) for p in ("father", "child1", "child2")} & listed


def test_an_unknown_age_or_sex_still_asks():
    case = family()
    case.people[0].facts.pop("sex")
    assert "father" in asked_of(case, "pregnant")


def test_questions_keep_their_order_as_they_are_answered():
    truth = {"father": {"main_earner": True, "owns_dog": True, "has_mynumber_card": True}}
    case = family()
    before = asked(case)
    while before:
        pid, fact = before[0]
        target = case.household if pid is None else next(p for p in case.people if p.id == pid)
        value = (truth.get(pid) or {}).get(fact, False)
        if pack().facts[fact].type == "set":
            value = []
        elif pack().facts[fact].type == "enum":
            value = "shaho"
        (target if pid is None else target.facts)[fact] = value
        after = asked(case)
        # What is still asked keeps its place; nothing jumps ahead of an older question.
        assert after == [k for k in before if k in after], (pid, fact)
        before = after


# --- the pack's data ------------------------------------------------------------------


def _pack_with(tmp_path, text):
    import shutil

    root = tmp_path / "pack"
    shutil.copytree(PACK_DIR, root)
    facts = root / "facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace(
            "    label: 犬の登録\n", "    label: 犬の登録\n" + text
        ),
        encoding="utf-8",
    )
    return root


def test_only_if_is_a_rule_checked_when_the_pack_loads(tmp_path):
    with pytest.raises(PackError) as e:
        load_pack(_pack_with(tmp_path, "    only_if: age >= dog_years\n"))
    assert e.value.file.endswith("facts.yaml") and "only_if" in str(e.value)


def test_one_per_household_is_for_yes_no_facts_of_a_person(tmp_path):
    load_pack(_pack_with(tmp_path, "    one_per_household: true\n"))
    root = _pack_with(tmp_path / "b", "    one_per_household: 2\n")
    with pytest.raises(PackError):
        load_pack(root)


# --- asking less never changes the outcome --------------------------------------------

EVENTS = [
    ["tennyu"],
    ["tennyu_abroad"],
    ["tenshutsu"],
    ["tenkyo"],
    ["birth"],
    ["death"],
    ["marriage"],
    ["marriage", "tennyu"],
    ["divorce"],
    ["insurance_loss"],
]
IDENTITY = {"birth_date", "sex", "relation", "nationality", "role", "applicant", "moving"}


def _random_truth(rng, events):
    p = pack()
    n = rng.randint(1, 5)
    people = []
    for i in range(n):
        born = ON - timedelta(days=rng.randint(0, 95 * 365))
        facts = {
            "birth_date": born,
            "sex": rng.choice(["1", "2"]),
            "relation": "世帯主" if i == 0 else rng.choice(["妻", "夫", "子", "母", "同居人"]),
            "nationality": rng.choice(["JP", "JP", "foreign"]),
            "role": "member",
            "applicant": i == 0,
            "moving": rng.random() < 0.8,
        }
        for f in p.facts.values():
            if f.scope != "person" or f.id in facts:
                continue
            facts[f.id] = _random_value(rng, f)
        people.append(Person(f"p{i}", facts))
    roles = {"birth": "newborn", "death": "deceased", "divorce": "spouse", "marriage": "spouse"}
    for e in events:
        if e in roles:
            for person in people[: 1 if roles[e] != "spouse" else 2]:
                person.facts["role"] = roles[e]
    household = {f.id: _random_value(rng, f) for f in p.facts.values() if f.scope == "household"}
    case = Case(list(events), ON, household, people)
    return _consistent(case)


def _random_value(rng, fact):
    if fact.type == "bool":
        return rng.random() < 0.3
    if fact.type == "enum":
        return rng.choice(list(fact.choices))
    if fact.type == "set":
        return frozenset(c for c in fact.choices if rng.random() < 0.2)
    if fact.type == "int":
        return rng.randint(1500, 4000)
    if fact.type == "text":  # a form's written item (本籍): no rule reads it
        return rng.choice(["", "北海道北見市北1条西2丁目"])
    raise AssertionError(fact.id)


def _consistent(case):
    """The truth as the catalog allows it: what only_if rules out is no, one main earner."""
    p = pack()
    limited = {f.id for f in p.facts.values() if f.only_if_rule is not None}
    blind = Case(
        case.events,
        case.date,
        {k: v for k, v in case.household.items() if k not in limited},
        [Person(x.id, {k: v for k, v in x.facts.items() if k not in limited}) for x in case.people],
    )
    _env_, views = _env(p, blind)
    for person, view in zip(case.people, views, strict=True):
        for fid in limited:
            if view.get(fid) is not None:  # settled: the fact cannot hold
                person.facts[fid] = view[fid]
    for f in p.facts.values():
        if f.one_per_household:
            holders = [x for x in case.people if x.facts.get(f.id)]
            for x in holders[1:]:
                x.facts[f.id] = False
    return case


def _interview(truth):
    """Start from identity only and answer, with the truth, each question in turn."""
    case = Case(
        truth.events,
        truth.date,
        {},
        [Person(x.id, {k: v for k, v in x.facts.items() if k in IDENTITY}) for x in truth.people],
    )
    steps = 0
    while questions := open_questions(pack(), case):
        q = questions[0]
        if q.person is None:
            case.household[q.fact] = truth.household[q.fact]
        else:
            source = next(x for x in truth.people if x.id == q.person)
            next(x for x in case.people if x.id == q.person).facts[q.fact] = source.facts[q.fact]
        steps += 1
        assert steps < 200
    return case, steps


def _outcome(case):
    return sorted((r.id, r.person or "", r.status) for r in navigate(pack(), case))


@pytest.mark.parametrize("seed", range(24))
def test_asking_only_what_can_apply_ends_with_the_same_procedures(seed):
    rng = random.Random(seed)
    truth = _random_truth(rng, rng.choice(EVENTS))
    case, steps = _interview(truth)
    assert _outcome(case) == _outcome(truth)
    assert all(status == "applies" for _, _, status in _outcome(case))
    answerable = sum(len(x.facts) - len(IDENTITY) for x in truth.people) + len(truth.household)
    assert steps < answerable
