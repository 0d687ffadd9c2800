import pytest

from lib.age import birthday_age

pytestmark = pytest.mark.django_db

ALLOWED = {
    "世帯主",
    "夫",
    "妻",
    "子",
    "子の夫",
    "子の妻",
    "子の子",
    "父",
    "母",
    "兄",
    "姉",
    "弟",
    "妹",
    "同居人",
}
MALE = {"夫", "子の夫", "父", "兄", "弟"}
FEMALE = {"妻", "子の妻", "母", "姉", "妹"}


def _one(members, relation):
    found = [m for m in members if m.relation == relation]
    return found[0] if found else None


def _gap(parent, child):
    return birthday_age(parent.birth_date, child.birth_date)


def test_every_household_has_exactly_one_head(city):
    for members in city.households.values():
        assert [m.relation for m in members].count("世帯主") == 1


def test_every_relation_is_one_the_register_allows(city):
    assert {r.relation for r in city.residents} <= ALLOWED


def test_sex_agrees_with_the_relation(city):
    for r in city.residents:
        if r.relation in MALE:
            assert r.sex == "1", r.relation
        if r.relation in FEMALE:
            assert r.sex == "2", r.relation


def test_a_head_with_a_wife_is_a_man_and_with_a_husband_a_woman(city):
    for members in city.households.values():
        head = _one(members, "世帯主")
        if _one(members, "妻"):
            assert head.sex == "1"
        if _one(members, "夫"):
            assert head.sex == "2"


def test_spouses_are_within_a_few_years_of_each_other(city):
    for members in city.households.values():
        head = _one(members, "世帯主")
        spouse = _one(members, "妻") or _one(members, "夫")
        if spouse:
            assert abs((head.birth_date - spouse.birth_date).days) <= 5 * 366


def test_children_are_18_to_45_years_younger_than_their_parents(city):
    checked = 0
    for members in city.households.values():
        head = _one(members, "世帯主")
        spouse = _one(members, "妻") or _one(members, "夫")
        in_law = _one(members, "子の妻") or _one(members, "子の夫")
        for m in members:
            if m.relation == "子":
                parents = [head, spouse] if spouse else [head]
            elif m.relation == "子の子":
                parents = [p for p in members if p.relation == "子"] + ([in_law] if in_law else [])
            elif m.relation in ("父", "母"):
                parents, m = [m], head  # the head is their child
            else:
                continue
            for p in parents:
                assert 18 <= _gap(p, m) <= 45, (p.name, p.birth_date, m.name, m.birth_date)
                checked += 1
    assert checked > 300


def test_the_city_has_single_elderly_couples_families_and_three_generations(city):
    kinds = set()
    for members in city.households.values():
        rels = {m.relation for m in members}
        ages = [birthday_age(m.birth_date, city.today) for m in members]
        if len(members) == 1 and ages[0] >= 65:
            kinds.add("single elderly")
        if rels == {"世帯主", "妻"}:
            kinds.add("couple")
        if "子" in rels and ("妻" in rels or "夫" in rels):
            kinds.add("family")
        if "子の子" in rels or {"父", "母"} & rels:
            kinds.add("three generations")
        if any(m.nationality != "JP" for m in members):
            kinds.add("foreign")
    assert kinds == {"single elderly", "couple", "family", "three generations", "foreign"}
