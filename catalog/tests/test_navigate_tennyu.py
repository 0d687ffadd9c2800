"""転入・国外転入 (life-events.md §5): each rule once where it applies and once where it flips."""

from catalog.tests.helpers import applies, needs_check, person, visit

D = "2026-04-10"


def test_it_lists_the_tennyu_form_once_per_visit_for_the_whole_family():
    case = visit("tennyu", D, person("a", "1980-01-01"), person("b", "1982-01-01", relation="妻"))
    got = applies(case)
    assert "jumin_tennyu" in got
    assert not any(k.startswith("jumin_tennyu@") for k in got)


def test_it_lists_mynacard_keizoku_for_a_card_holder_moving_in_from_japan():
    case = visit("tennyu", D, person("a", "1980-01-01", has_mynumber_card=True))
    assert "mynacard_keizoku@a" in applies(case)


def test_it_does_not_list_mynacard_keizoku_when_moving_in_from_abroad():
    case = visit("tennyu_abroad", D, person("a", "1980-01-01", has_mynumber_card=True))
    assert "mynacard_keizoku@a" not in applies(case)


def test_it_does_not_list_mynacard_keizoku_without_a_card():
    assert "mynacard_keizoku@a" not in applies(visit("tennyu", D, person("a", "1980-01-01")))


def test_it_lists_inkan_toroku_for_someone_who_reached_15_the_day_before_the_birthday():
    # 15th birthday 2026-04-11: 15 by the legal rule on 2026-04-10.
    case = visit("tennyu", D, person("a", "2011-04-11", wants_inkan=True, relation="子"))
    assert "inkan_toroku@a" in applies(case)


def test_it_does_not_list_inkan_toroku_at_14():
    case = visit("tennyu", D, person("a", "2011-04-12", wants_inkan=True, relation="子"))
    assert "inkan_toroku@a" not in applies(case)


def test_it_does_not_list_inkan_toroku_when_no_seal_is_wanted():
    assert "inkan_toroku@a" not in applies(visit("tennyu", D, person("a", "1980-01-01")))


def test_it_lists_kokuho_kanyu_for_someone_on_kokuho_or_uninsured():
    case = visit(
        "tennyu",
        D,
        person("a", "1980-01-01", health_insurance="kokuho"),
        person("b", "1980-01-01", health_insurance="none"),
    )
    assert {"kokuho_kanyu@a", "kokuho_kanyu@b"} <= applies(case)


def test_it_does_not_list_kokuho_kanyu_for_an_employee_insured():
    assert "kokuho_kanyu@a" not in applies(visit("tennyu", D, person("a", "1980-01-01")))


def test_it_does_not_list_kokuho_kanyu_for_someone_joining_the_spouse_insurance():
    case = visit(
        "tennyu",
        D,
        person("a", "1980-01-01", health_insurance="kokuho", joins_spouse_insurance=True),
    )
    assert "kokuho_kanyu@a" not in applies(case)


def test_it_keeps_kokuho_on_the_day_before_the_75th_birthday():
    # Legally 75 already, but 後期高齢者医療 starts on the birthday itself.
    case = visit("tennyu", D, person("a", "1951-04-11", health_insurance="kokuho"))
    got = applies(case)
    assert "kokuho_kanyu@a" in got
    assert "koki_tennyu@a" not in got


def test_it_lists_koki_tennyu_on_the_75th_birthday_itself():
    case = visit("tennyu", D, person("a", "1951-04-10", health_insurance="kokuho"))
    got = applies(case)
    assert "koki_tennyu@a" in got
    assert "kokuho_kanyu@a" not in got


def test_it_does_not_list_koki_tennyu_when_moving_in_from_abroad():
    case = visit("tennyu_abroad", D, person("a", "1940-01-01", health_insurance="none"))
    assert "koki_tennyu@a" not in applies(case)


def test_it_lists_nenkin_shikaku_for_a_20_year_old_moving_in_from_abroad():
    # 20th birthday 2026-04-11: 20 on 2026-04-10.
    case = visit("tennyu_abroad", D, person("a", "2006-04-11", pension_category="none"))
    assert "nenkin_shikaku@a" in applies(case)


def test_it_does_not_list_nenkin_shikaku_at_19():
    case = visit("tennyu_abroad", D, person("a", "2006-04-12", pension_category="none"))
    assert "nenkin_shikaku@a" not in applies(case)


def test_it_does_not_list_nenkin_shikaku_at_60():
    case = visit("tennyu_abroad", D, person("a", "1966-04-11", pension_category="none"))
    assert "nenkin_shikaku@a" not in applies(case)


def test_it_does_not_list_nenkin_shikaku_for_category_2_or_3():
    case = visit(
        "tennyu_abroad",
        D,
        person("a", "1990-01-01", pension_category="2"),
        person("b", "1990-01-01", pension_category="3"),
    )
    got = applies(case)
    assert "nenkin_shikaku@a" not in got
    assert "nenkin_shikaku@b" not in got


def test_it_does_not_list_nenkin_shikaku_for_a_move_inside_japan():
    case = visit("tennyu", D, person("a", "1990-01-01", pension_category="none"))
    assert "nenkin_shikaku@a" not in applies(case)


def test_it_asks_about_the_pension_category_when_it_is_unknown():
    case = visit("tennyu_abroad", D, person("a", "1990-01-01", unknown=["pension_category"]))
    assert "nenkin_shikaku@a" in needs_check(case)


def test_it_lists_kaigo_for_65_on_the_day_before_the_birthday():
    case = visit("tennyu", D, person("a", "1961-04-11"))
    assert "kaigo_tennyu@a" in applies(case)


def test_it_does_not_list_kaigo_two_days_before_the_65th_birthday():
    case = visit("tennyu", D, person("a", "1961-04-12"))
    assert "kaigo_tennyu@a" not in applies(case)


def test_it_carries_over_a_care_certification_only_from_inside_japan():
    someone = person("a", "1950-01-01", care_certified=True)
    assert "kaigo_nintei_hikitsugi@a" in applies(visit("tennyu", D, someone))
    assert "kaigo_nintei_hikitsugi@a" not in applies(visit("tennyu_abroad", D, someone))


def test_it_lists_jidoteate_for_the_main_earner_moving_with_a_child():
    case = visit(
        "tennyu",
        D,
        person("f", "1985-01-01", main_earner=True),
        person("c", "2015-01-01", relation="子"),
    )
    assert "jidoteate_nintei@f" in applies(case)


def test_it_counts_a_child_as_child18_on_the_march_31_after_reaching_18():
    # Born 2008-04-01: reaches 18 on 2026-03-31, the last day of 児童手当.
    f = person("f", "1980-01-01", main_earner=True)
    c = person("c", "2008-04-01", relation="子")
    assert "jidoteate_nintei@f" in applies(visit("tennyu", "2026-03-31", f, c))
    assert "kodomo_iryo@c" in applies(visit("tennyu", "2026-03-31", f, c))


def test_it_no_longer_counts_the_child_on_april_1():
    f = person("f", "1980-01-01", main_earner=True)
    c = person("c", "2008-04-01", relation="子")
    got = applies(visit("tennyu", "2026-04-01", f, c))
    assert "jidoteate_nintei@f" not in got
    assert "kodomo_iryo@c" not in got


def test_it_does_not_list_jidoteate_for_a_public_servant():
    case = visit(
        "tennyu",
        D,
        person("f", "1985-01-01", main_earner=True, public_servant=True),
        person("c", "2015-01-01", relation="子"),
    )
    assert "jidoteate_nintei@f" not in applies(case)


def test_it_does_not_list_jidoteate_when_the_child_does_not_move():
    case = visit(
        "tennyu",
        D,
        person("f", "1985-01-01", main_earner=True),
        person("c", "2015-01-01", relation="子", moving=False),
    )
    assert "jidoteate_nintei@f" not in applies(case)


def test_it_lists_kodomo_iryo_for_each_moving_child():
    case = visit("tennyu", D, person("f", "1985-01-01"), person("c", "2015-01-01", relation="子"))
    got = applies(case)
    assert "kodomo_iryo@c" in got
    assert "kodomo_iryo@f" not in got


def test_it_lists_jido_fuyo_jusho_for_a_recipient_moving_in_from_japan_only():
    someone = person("a", "1985-01-01", child_support_recipient=True)
    assert "jido_fuyo_jusho@a" in applies(visit("tennyu", D, someone))
    assert "jido_fuyo_jusho@a" not in applies(visit("tennyu_abroad", D, someone))


def test_it_lists_hitorioya_iryo_for_the_main_earner_of_a_single_parent_household():
    case = visit(
        "tennyu",
        D,
        person("m", "1985-01-01", main_earner=True),
        person("c", "2015-01-01", relation="子"),
        single_parent=True,
    )
    got = applies(case)
    assert "hitorioya_iryo@m" in got
    assert "hitorioya_iryo@c" not in got


def test_it_does_not_list_hitorioya_iryo_for_a_two_parent_household():
    case = visit("tennyu", D, person("m", "1985-01-01", main_earner=True))
    assert "hitorioya_iryo@m" not in applies(case)


def test_it_counts_school_age_from_april_1_after_reaching_6():
    # Born 2019-04-02: reaches 6 on 2025-04-01, so enters school on 2026-04-01.
    child = person("c", "2019-04-02", relation="子")
    got = applies(visit("tennyu", "2026-04-01", child, wants_daycare=True))
    assert "tennyugaku@c" in got
    assert "hoiku@c" not in got


def test_it_treats_the_same_child_as_preschool_on_march_31():
    child = person("c", "2019-04-02", relation="子")
    got = applies(visit("tennyu", "2026-03-31", child, wants_daycare=True))
    assert "tennyugaku@c" not in got
    assert "hoiku@c" in got


def test_it_lists_hoiku_only_when_daycare_is_wanted():
    child = person("c", "2023-01-01", relation="子")
    assert "hoiku@c" not in applies(visit("tennyu", D, child))


def test_it_lists_ninpu_kenshin_for_a_pregnant_woman():
    case = visit(
        "tennyu", D, person("a", "1990-01-01", pregnant=True, sex="2"), person("b", "1990-01-01")
    )
    got = applies(case)
    assert "ninpu_kenshin@a" in got
    assert "ninpu_kenshin@b" not in got


def test_it_lists_shogai_jusho_for_a_handbook_holder():
    case = visit(
        "tennyu",
        D,
        person("a", "1990-01-01", disability_handbooks=frozenset({"ryoiku"})),
        person("b", "1990-01-01"),
    )
    got = applies(case)
    assert "shogai_jusho@a" in got
    assert "shogai_jusho@b" not in got


def test_it_lists_inu_henko_for_the_dog_owner_with_a_30_day_deadline():
    from catalog.tests.helpers import result

    case = visit("tennyu", D, person("a", "1990-01-01", owns_dog=True), person("b", "1990-01-01"))
    assert "inu_henko@b" not in applies(case)
    # 30日 from 4月10日 ends on Sunday 5月10日: due the Monday after (地方自治法4条の2).
    assert result(case, "inu_henko@a").deadline.isoformat() == "2026-05-11"


def test_it_lists_suido_kaishi_once_when_the_household_starts_a_dwelling():
    someone = person("a", "1990-01-01")
    assert "suido_kaishi" in applies(visit("tennyu", D, someone, new_dwelling=True))
    assert "suido_kaishi" not in applies(visit("tennyu", D, someone, new_dwelling=False))


def test_it_always_gives_the_garbage_guidance_once():
    assert "gomi_annai" in applies(visit("tennyu_abroad", D, person("a", "1990-01-01")))


def test_it_lists_gentsuki_toroku_for_a_moped_owner_moving_in_from_japan_only():
    someone = person("a", "1990-01-01", owns_moped=True)
    assert "gentsuki_toroku@a" in applies(visit("tennyu", D, someone))
    assert "gentsuki_toroku@a" not in applies(visit("tennyu_abroad", D, someone))


def test_it_lists_zairyu_card_for_a_foreign_resident_only():
    case = visit(
        "tennyu_abroad",
        D,
        person("a", "1990-01-01", nationality="foreign"),
        person("b", "1990-01-01"),
    )
    got = applies(case)
    assert "zairyu_card@a" in got
    assert "zairyu_card@b" not in got


def test_it_looks_only_at_the_people_who_move():
    case = visit(
        "tennyu",
        D,
        person("stay", "1950-01-01", moving=False, has_mynumber_card=True),
        person("move", "1990-01-01"),
    )
    got = applies(case)
    assert not any(k.endswith("@stay") for k in got)
