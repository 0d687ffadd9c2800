import pytest

from lib.age import birthday_age, is_child18, legal_age

pytestmark = pytest.mark.django_db

REGISTER_FACTS = {
    "health_insurance",
    "pension_category",
    "receives_pension",
    "care_certified",
    "disability_handbooks",
    "has_mynumber_card",
    "has_inkan",
    "child_allowance_recipient",
    "child_medical_certificate",
    "child_support_recipient",
    "single_parent_medical",
    "main_earner",
    "public_servant",
    "owns_property",
    "owns_dog",
    "owns_moped",
    "water_contract_holder",
    "uses_elderly_services",
}


def test_every_resident_has_every_register_fact(city):
    for r in city.residents:
        assert set(r.facts) == REGISTER_FACTS


def test_koki_is_exactly_those_75_or_older_by_birthday(city):
    for r in city.residents:
        assert (r.facts["health_insurance"] == "koki") == (
            birthday_age(r.birth_date, city.today) >= 75
        )


def test_insurance_values_are_the_canonical_ids(city):
    assert {r.facts["health_insurance"] for r in city.residents} == {
        "kokuho",
        "shaho",
        "koki",
        "seiho",
    }


def test_pension_category_is_none_outside_20_to_59_and_consistent_with_insurance(city):
    by_household = city.households
    for r in city.residents:
        cat, ins = r.facts["pension_category"], r.facts["health_insurance"]
        age = legal_age(r.birth_date, city.today)
        assert (cat == "none") == (not 20 <= age < 60)
        if cat == "2":
            assert ins == "shaho"
        if cat == "3":
            spouses = [
                m
                for m in by_household[r.household_id]
                if m is not r
                and m.facts["pension_category"] == "2"
                and {m.relation, r.relation}
                in (
                    {"世帯主", "妻"},
                    {"世帯主", "夫"},
                    {"子", "子の妻"},
                    {"子", "子の夫"},
                    {"父", "母"},
                )
            ]
            assert ins == "shaho" and spouses, r.name


def test_all_three_pension_categories_occur(city):
    assert {r.facts["pension_category"] for r in city.residents} == {"1", "2", "3", "none"}


def test_children_share_the_insurance_of_their_main_earner(city):
    for members in city.households.values():
        earner = next(m for m in members if m.facts["main_earner"])
        for m in members:
            if (
                m.relation in ("子", "子の子")
                and legal_age(m.birth_date, city.today) < 15
                and earner.facts["health_insurance"] in ("shaho", "kokuho", "seiho")
            ):
                # The earner's own family: children of the earner (or of the earner's spouse).
                if (m.relation == "子") == (earner.relation in ("世帯主", "妻", "夫")):
                    assert m.facts["health_insurance"] == earner.facts["health_insurance"]


def test_each_household_has_one_main_earner_and_the_head_holds_the_water_contract(city):
    for members in city.households.values():
        assert sum(m.facts["main_earner"] for m in members) == 1
        assert [m.relation for m in members if m.facts["water_contract_holder"]] == ["世帯主"]


def test_child_allowance_goes_to_a_main_earner_raising_a_child_who_is_not_a_public_servant(city):
    recipients = [r for r in city.residents if r.facts["child_allowance_recipient"]]
    assert recipients
    for r in recipients:
        assert r.facts["main_earner"] and not r.facts["public_servant"]
        assert any(
            is_child18(m.birth_date, city.today)
            for m in city.households[r.household_id]
            if m is not r
        )


def test_a_household_raising_children_gets_child_allowance_unless_the_earner_is_a_public_servant(
    city,
):
    for members in city.households.values():
        earner = next(m for m in members if m.facts["main_earner"])
        own = [
            m
            for m in members
            if m.relation == ("子の子" if earner.relation in ("子", "子の妻", "子の夫") else "子")
        ]
        if any(is_child18(c.birth_date, city.today) for c in own):
            assert earner.facts["child_allowance_recipient"] != earner.facts["public_servant"]


def test_child_medical_certificates_are_for_children_only(city):
    holders = [r for r in city.residents if r.facts["child_medical_certificate"]]
    assert holders
    assert all(is_child18(r.birth_date, city.today) for r in holders)


def test_single_parent_benefits_are_for_households_of_one_parent(city):
    for r in city.residents:
        if r.facts["child_support_recipient"] or r.facts["single_parent_medical"]:
            rels = {m.relation for m in city.households[r.household_id]}
            assert not rels & {"妻", "夫"}
    assert any(r.facts["child_support_recipient"] for r in city.residents)


def test_care_certification_is_for_65_and_over_and_rises_with_age(city):
    def rate(lo, hi):
        group = [r for r in city.residents if lo <= legal_age(r.birth_date, city.today) < hi]
        return sum(r.facts["care_certified"] for r in group) / len(group)

    assert rate(0, 65) == 0
    assert rate(65, 75) < rate(75, 85) < rate(85, 120)


def test_most_65_year_olds_receive_a_pension_and_seals_are_for_adults(city):
    old = [r for r in city.residents if legal_age(r.birth_date, city.today) >= 65]
    assert sum(r.facts["receives_pension"] for r in old) / len(old) > 0.85
    assert not any(
        r.facts["has_inkan"] for r in city.residents if legal_age(r.birth_date, city.today) < 18
    )


def test_about_three_in_four_have_a_mynumber_card(city):
    share = sum(r.facts["has_mynumber_card"] for r in city.residents) / len(city.residents)
    assert 0.68 < share < 0.82


def test_disability_handbooks_are_few_and_of_the_canonical_kinds(city):
    with_book = [r for r in city.residents if r.facts["disability_handbooks"]]
    assert 0 < len(with_book) < 0.1 * len(city.residents)
    assert {k for r in with_book for k in r.facts["disability_handbooks"]} <= {
        "shintai",
        "ryoiku",
        "seishin",
    }
