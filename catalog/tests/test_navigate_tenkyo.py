"""転居 inside the municipality (life-events.md §5)."""

from catalog.tests.helpers import applies, person, result, visit

D = "2026-05-01"


def test_it_lists_the_tenkyo_form_and_garbage_guidance_once_per_visit():
    got = applies(visit("tenkyo", D, person("a", "1980-01-01"), person("b", "1982-01-01")))
    assert {"jumin_tenkyo", "gomi_annai"} <= got


def test_it_gives_the_tenkyo_form_a_14_day_deadline():
    case = visit("tenkyo", D, person("a", "1980-01-01"))
    assert result(case, "jumin_tenkyo").deadline.isoformat() == "2026-05-15"


def test_it_lists_mynacard_jusho_for_a_card_holder():
    case = visit(
        "tenkyo", D, person("a", "1980-01-01", has_mynumber_card=True), person("b", "1980-01-01")
    )
    got = applies(case)
    assert "mynacard_jusho@a" in got
    assert "mynacard_jusho@b" not in got


def test_it_tells_kokuho_and_koki_members_their_card_comes_by_mail():
    case = visit(
        "tenkyo",
        D,
        person("a", "1980-01-01", health_insurance="kokuho"),
        person("b", "1945-01-01", health_insurance="koki"),
        person("c", "1980-01-01", health_insurance="shaho"),
    )
    got = applies(case)
    assert {"kokuho_jusho@a", "koki_jusho@b"} <= got
    assert not {"kokuho_jusho@c", "koki_jusho@c", "koki_jusho@a", "kokuho_jusho@b"} & got
    assert result(case, "kokuho_jusho@a").kind == "auto"


def test_it_lists_kaigo_jusho_from_65():
    case = visit("tenkyo", D, person("a", "1961-05-02"), person("b", "1961-05-03"))
    got = applies(case)
    assert "kaigo_jusho@a" in got
    assert "kaigo_jusho@b" not in got


def test_it_lists_jido_fuyo_jusho_for_a_recipient():
    case = visit("tenkyo", D, person("a", "1985-01-01", child_support_recipient=True))
    assert "jido_fuyo_jusho@a" in applies(case)


def test_it_lists_tengaku_shinai_for_a_school_child():
    case = visit("tenkyo", D, person("c", "2015-01-01"), person("t", "2021-01-01"))
    got = applies(case)
    assert "tengaku_shinai@c" in got
    assert "tengaku_shinai@t" not in got


def test_it_lists_shogai_jusho_for_a_handbook_holder():
    case = visit(
        "tenkyo", D, person("a", "1980-01-01", disability_handbooks=frozenset({"seishin"}))
    )
    assert "shogai_jusho@a" in applies(case)


def test_it_lists_inu_henko_for_a_dog_owner():
    case = visit("tenkyo", D, person("a", "1980-01-01", owns_dog=True))
    assert "inu_henko@a" in applies(case)


def test_it_lists_both_water_forms_when_the_household_moves_its_dwelling():
    someone = person("a", "1980-01-01")
    assert {"suido_kaishi", "suido_chushi"} <= applies(
        visit("tenkyo", D, someone, new_dwelling=True)
    )
    assert not {"suido_kaishi", "suido_chushi"} & applies(visit("tenkyo", D, someone))
