"""婚姻, 離婚, 養子縁組, 小学校就学 and the insurance events (life-events.md §5)."""

from catalog.tests.helpers import applies, person, result, visit

M = "2026-05-20"


def _spouses(a=None, b=None):
    a = a or {}
    b = b or {}
    return (
        person("a", "1995-01-01", **{"role": "spouse", "moving": False, "applicant": True, **a}),
        person("b", "1996-01-01", **{"role": "spouse", "moving": False, "relation": "妻", **b}),
    )


def test_a_spouse_leaving_kokuho_for_the_other_spouses_insurance_ends_kokuho_here():
    a, b = _spouses(b={"health_insurance": "kokuho", "joins_spouse_insurance": True})
    assert "kokuho_soshitsu@b" in applies(visit("marriage", M, a, b))


def test_no_kokuho_soshitsu_here_when_the_spouse_moves_in_the_same_visit():
    a, b = _spouses(
        b={"health_insurance": "kokuho", "joins_spouse_insurance": True, "moving": True}
    )
    assert "kokuho_soshitsu@b" not in applies(visit(["marriage", "tennyu"], M, a, b))


def test_a_name_change_with_a_seal_needs_a_new_seal_registration():
    a, b = _spouses(b={"has_inkan": True, "surname_changes": True})
    assert "inkan_henko@b" in applies(visit("marriage", M, a, b))


def test_nenkin_3go_needs_the_other_spouse_on_category_2():
    a, b = _spouses(
        a={"pension_category": "1"}, b={"pension_category": "1", "joins_spouse_insurance": True}
    )
    assert "nenkin_3go@b" not in applies(visit("marriage", M, a, b))
    a.facts["pension_category"] = "2"
    assert "nenkin_3go@b" in applies(visit("marriage", M, a, b))


def test_marriage_ends_single_parent_allowances():
    a, b = _spouses(b={"single_parent_medical": True})
    assert "jido_fuyo_soshitsu@b" in applies(visit("marriage", M, a, b))


def test_divorce_moves_a_dependant_spouse_to_kokuho_and_pension_category_1():
    a, b = _spouses(b={"was_spouse_dependant": True, "pension_category": "3"})
    got = applies(visit("divorce", M, a, b))
    assert {"rikon_todoke", "kokuho_kanyu@b", "nenkin_shubetsu@b"} <= got
    assert "kokuho_kanyu@a" not in got


def test_divorce_gives_the_custodial_parent_the_child_allowances():
    a, b = _spouses(a={"child_allowance_recipient": True}, b={"custodial_parent": True})
    c = person("c", "2016-01-01", relation="子", moving=False)
    got = applies(visit("divorce", M, a, b, c, low_income=True, child_surname_differs=True))
    assert {
        "jidoteate_nintei@b",
        "jido_fuyo_nintei@b",
        "hitorioya_iryo@b",
        "jidoteate_shometsu@a",
        "shugaku_enjo",
        "ko_no_uji",
    } <= got
    assert "jidoteate_nintei@a" not in got


def test_the_married_surname_declaration_has_three_months_counting_the_first_day():
    a, b = _spouses(b={"keeps_married_surname": True})
    assert (
        result(visit("divorce", M, a, b), "konshi_zokusho@b").deadline.isoformat() == "2026-08-19"
    )


def test_adoption_of_a_child_gives_the_adopter_the_child_allowance():
    adopter = person("p", "1980-01-01", moving=False, main_earner=True, applicant=True)
    child = person(
        "c",
        "2016-01-01",
        role="adoptee",
        relation="子",
        moving=False,
        has_mynumber_card=True,
        surname_changes=True,
        child_medical_certificate=True,
    )
    got = applies(visit("adoption", M, adopter, child))
    assert {"yoshi_todoke", "jidoteate_nintei@p", "mynacard_henko@c", "kodomo_iryo_henko@c"} <= got
    assert "jidoteate_nintei@c" not in got


def test_school_entry_offers_aid_and_after_school_care_once():
    child = person("c", "2020-06-01", relation="子", moving=False)  # enters 2027-04-01
    parent = person("p", "1990-01-01", moving=False, applicant=True)
    got = applies(
        visit("school_entry", "2026-10-01", parent, child, low_income=True, after_school_care=True)
    )
    assert {"shugaku_enjo", "gakudo"} <= got


def test_losing_employer_insurance_means_kokuho_and_category_1_pension():
    got = applies(visit("insurance_loss", M, person("a", "1980-01-01", pension_category="2")))
    assert {"kokuho_kanyu@a", "nenkin_shubetsu@a"} <= got


def test_losing_employer_insurance_on_the_75th_birthday_leads_to_koki_not_kokuho():
    got = applies(
        visit("insurance_loss", "2026-04-10", person("a", "1951-04-10", pension_category="none"))
    )
    assert "kokuho_kanyu@a" not in got


def test_joining_employer_insurance_ends_kokuho():
    got = applies(visit("insurance_gain", M, person("a", "1980-01-01", health_insurance="kokuho")))
    assert "kokuho_soshitsu@a" in got
