"""Ages at a date (lib.age): the legal rule, birthdays, 児童 and school years."""

from datetime import date

import pytest

from lib.age import (
    birthday_age,
    is_child18,
    is_preschool,
    is_school_age,
    legal_age,
    reaches_age_on,
    school_entry_date,
)

BORN = date(1961, 4, 10)


def test_legal_age_is_reached_on_the_day_before_the_birthday():
    assert legal_age(BORN, date(2026, 4, 8)) == 64
    assert legal_age(BORN, date(2026, 4, 9)) == 65
    assert legal_age(BORN, date(2026, 4, 10)) == 65


def test_birthday_age_is_reached_on_the_birthday_itself():
    assert birthday_age(BORN, date(2026, 4, 9)) == 64
    assert birthday_age(BORN, date(2026, 4, 10)) == 65


def test_reaches_age_on_is_the_day_before_the_birthday():
    assert reaches_age_on(BORN, 65) == date(2026, 4, 9)


def test_a_january_1_birth_reaches_its_age_on_december_31():
    born = date(2006, 1, 1)
    assert reaches_age_on(born, 18) == date(2023, 12, 31)
    assert legal_age(born, date(2023, 12, 30)) == 17
    assert legal_age(born, date(2023, 12, 31)) == 18


LEAP_BORN = date(2004, 2, 29)


def test_a_february_29_birth_reaches_its_age_on_february_28_in_a_common_year():
    assert legal_age(LEAP_BORN, date(2023, 2, 27)) == 18
    assert legal_age(LEAP_BORN, date(2023, 2, 28)) == 19
    assert reaches_age_on(LEAP_BORN, 19) == date(2023, 2, 28)


def test_a_february_29_birth_reaches_its_age_on_february_28_in_a_leap_year():
    assert legal_age(LEAP_BORN, date(2024, 2, 27)) == 19
    assert legal_age(LEAP_BORN, date(2024, 2, 28)) == 20
    assert reaches_age_on(LEAP_BORN, 20) == date(2024, 2, 28)


def test_a_february_29_birthday_counts_on_march_1_in_a_common_year():
    assert birthday_age(LEAP_BORN, date(2023, 2, 28)) == 18
    assert birthday_age(LEAP_BORN, date(2023, 3, 1)) == 19
    assert birthday_age(LEAP_BORN, date(2024, 2, 29)) == 20


def test_koki_koreisha_starts_on_the_75th_birthday_not_the_day_before():
    born = date(1951, 4, 10)
    assert birthday_age(born, date(2026, 4, 9)) == 74
    assert birthday_age(born, date(2026, 4, 10)) == 75
    # The legal age is already 75 on the day before: the two rules really differ here.
    assert legal_age(born, date(2026, 4, 9)) == 75


def test_a_february_29_birth_turns_75_for_koki_koreisha_on_march_1_of_a_common_year():
    born = date(1952, 2, 29)
    assert birthday_age(born, date(2027, 2, 28)) == 74
    assert birthday_age(born, date(2027, 3, 1)) == 75


def test_a_child_stays_a_child18_until_the_march_31_after_reaching_18():
    born = date(2007, 6, 15)  # reaches 18 on 2025-06-14
    assert is_child18(born, date(2025, 6, 14))
    assert is_child18(born, date(2026, 3, 31))
    assert not is_child18(born, date(2026, 4, 1))


def test_an_april_1_birth_stops_being_a_child18_on_the_march_31_it_reaches_18():
    born = date(2007, 4, 1)  # reaches 18 on 2025-03-31, itself the first 3月31日
    assert is_child18(born, date(2025, 3, 31))
    assert not is_child18(born, date(2025, 4, 1))


def test_an_april_2_birth_stays_a_child18_for_a_year_after_reaching_18():
    born = date(2007, 4, 2)  # reaches 18 on 2025-04-01
    assert is_child18(born, date(2025, 4, 1))
    assert is_child18(born, date(2026, 3, 31))
    assert not is_child18(born, date(2026, 4, 1))


def test_nobody_is_a_child18_before_being_born():
    assert not is_child18(date(2026, 4, 10), date(2026, 4, 9))
    assert is_child18(date(2026, 4, 10), date(2026, 4, 10))


@pytest.mark.parametrize(
    ("born", "entry"),
    [
        (date(2019, 4, 1), date(2025, 4, 1)),  # 早生まれ: reaches 6 on 3月31日
        (date(2019, 4, 2), date(2026, 4, 1)),
        (date(2020, 2, 29), date(2026, 4, 1)),
    ],
)
def test_school_entry_is_the_april_1_after_reaching_6(born, entry):
    assert school_entry_date(born) == entry


def test_an_april_1_birth_enters_school_a_year_before_an_april_2_birth():
    april1, april2 = date(2019, 4, 1), date(2019, 4, 2)
    assert is_preschool(april1, date(2025, 3, 31))
    assert not is_preschool(april1, date(2025, 4, 1))
    assert is_school_age(april1, date(2025, 4, 1))
    assert is_preschool(april2, date(2025, 4, 1))
    assert not is_school_age(april2, date(2025, 4, 1))
    assert is_school_age(april2, date(2026, 4, 1))


def test_school_age_ends_on_the_march_31_after_reaching_15():
    april1, april2 = date(2010, 4, 1), date(2010, 4, 2)
    assert is_school_age(april1, date(2025, 3, 31))
    assert not is_school_age(april1, date(2025, 4, 1))
    assert is_school_age(april2, date(2026, 3, 31))
    assert not is_school_age(april2, date(2026, 4, 1))


def test_a_preschooler_must_already_be_born():
    assert not is_preschool(date(2026, 4, 10), date(2026, 4, 9))
    assert is_preschool(date(2026, 4, 10), date(2026, 4, 10))
