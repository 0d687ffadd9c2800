"""転出・国外転出 (life-events.md §5)."""

from catalog.tests.helpers import applies, needs_check, person, result, visit

D = "2026-06-15"


def test_it_lists_the_tenshutsu_form_and_bulky_waste_guidance_once_per_visit():
    got = applies(visit("tenshutsu", D, person("a", "1980-01-01"), person("b", "1982-01-01")))
    assert {"jumin_tenshutsu", "sodai_gomi"} <= got


def test_it_tells_a_seal_holder_that_the_registration_ends_by_itself():
    case = visit(
        "tenshutsu", D, person("a", "1980-01-01", has_inkan=True), person("b", "1982-01-01")
    )
    got = applies(case)
    assert "inkan_haishi@a" in got
    assert "inkan_haishi@b" not in got
    assert result(case, "inkan_haishi@a").kind == "auto"


def test_it_lists_mynacard_kokugai_only_when_leaving_japan():
    someone = person("a", "1980-01-01", has_mynumber_card=True)
    assert "mynacard_kokugai@a" in applies(visit("tenshutsu_abroad", D, someone))
    assert "mynacard_kokugai@a" not in applies(visit("tenshutsu", D, someone))


def test_it_lists_kokuho_soshitsu_for_kokuho_only():
    case = visit(
        "tenshutsu",
        D,
        person("a", "1980-01-01", health_insurance="kokuho"),
        person("b", "1980-01-01", health_insurance="shaho"),
    )
    got = applies(case)
    assert "kokuho_soshitsu@a" in got
    assert "kokuho_soshitsu@b" not in got


def test_it_lists_koki_tenshutsu_for_koki_only():
    case = visit(
        "tenshutsu",
        D,
        person("a", "1940-01-01", health_insurance="koki"),
        person("b", "1940-01-01", health_insurance="seiho"),
    )
    got = applies(case)
    assert "koki_tenshutsu@a" in got
    assert "koki_tenshutsu@b" not in got


def test_it_lists_kaigo_for_a_67_year_old_whose_certification_is_unknown():
    # true or unknown is true (life-events.md §2).
    case = visit("tenshutsu", D, person("a", "1959-01-01", unknown=["care_certified"]))
    assert "kaigo_tenshutsu@a" in applies(case)


def test_it_lists_kaigo_for_a_certified_person_under_65():
    case = visit("tenshutsu", D, person("a", "1980-01-01", care_certified=True))
    assert "kaigo_tenshutsu@a" in applies(case)


def test_it_does_not_list_kaigo_for_an_uncertified_person_under_65():
    case = visit("tenshutsu", D, person("a", "1980-01-01"))
    assert "kaigo_tenshutsu@a" not in applies(case)


def test_it_asks_about_certification_for_someone_under_65_when_unknown():
    case = visit("tenshutsu", D, person("a", "1980-01-01", unknown=["care_certified"]))
    assert "kaigo_tenshutsu@a" in needs_check(case)


def test_it_lists_jidoteate_shometsu_for_a_recipient():
    case = visit("tenshutsu", D, person("a", "1980-01-01", child_allowance_recipient=True))
    assert "jidoteate_shometsu@a" in applies(case)
    assert "jidoteate_shometsu@a" not in applies(visit("tenshutsu", D, person("a", "1980-01-01")))


def test_it_lists_kodomo_iryo_henkan_for_a_certificate_holder():
    case = visit("tenshutsu", D, person("c", "2015-01-01", child_medical_certificate=True))
    assert "kodomo_iryo_henkan@c" in applies(case)
    assert "kodomo_iryo_henkan@c" not in applies(visit("tenshutsu", D, person("c", "2015-01-01")))


def test_it_tells_a_school_child_to_collect_the_school_certificates():
    case = visit("tenshutsu", D, person("c", "2015-01-01"), person("t", "2021-01-01"))
    got = applies(case)
    assert "tenshutsu_gakko@c" in got
    assert "tenshutsu_gakko@t" not in got


def test_it_lists_nenkin_kokugai_for_category_1_leaving_japan_only():
    someone = person("a", "1980-01-01", pension_category="1")
    assert "nenkin_kokugai@a" in applies(visit("tenshutsu_abroad", D, someone))
    assert "nenkin_kokugai@a" not in applies(visit("tenshutsu", D, someone))
    other = person("a", "1980-01-01", pension_category="2")
    assert "nenkin_kokugai@a" not in applies(visit("tenshutsu_abroad", D, other))


def test_it_lists_suido_chushi_once_when_the_household_leaves_its_dwelling():
    someone = person("a", "1980-01-01")
    assert "suido_chushi" in applies(visit("tenshutsu", D, someone, new_dwelling=True))
    assert "suido_chushi" not in applies(visit("tenshutsu", D, someone))


def test_it_reminds_a_dog_owner_to_register_at_the_new_address():
    case = visit("tenshutsu", D, person("a", "1980-01-01", owns_dog=True))
    assert "inu_tenshutsu@a" in applies(case)
    assert result(case, "inu_tenshutsu@a").kind == "guidance"
