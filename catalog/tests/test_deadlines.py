"""Deadlines are dates: periods counted as the law counts them."""

from datetime import date

from catalog.pack import Deadline
from catalog.tests.helpers import person, result, visit


def test_a_14_day_deadline_ends_14_days_after_the_event_date():
    case = visit("tennyu", "2026-04-10", person("a", "1980-01-01"))
    assert result(case, "jumin_tennyu").deadline == date(2026, 4, 24)


def test_a_procedure_without_a_deadline_has_none():
    case = visit("tennyu", "2026-04-10", person("a", "1980-01-01"))
    assert result(case, "gomi_annai").deadline is None


def test_the_birth_registration_counts_from_the_birth_date_including_that_day():
    # 戸籍法43条: the first day counts. Born 8月25日 → 14日 ends 9月7日.
    n = person("n", "2026-08-25", role="newborn", relation="子", moving=False)
    f = person("f", "1990-01-01", moving=False, main_earner=True, applicant=True)
    case = visit("birth", "2026-09-01", n, f)
    assert result(case, "shussei_todoke@n").deadline == date(2026, 9, 7)
    # 児童手当's 15日特例 counts from the day after the birth.
    assert result(case, "jidoteate_birth@f").deadline == date(2026, 9, 9)


def test_the_death_registration_has_7_days_including_the_first():
    d = person("d", "1950-01-01", role="deceased", moving=False)
    case = visit("death", "2026-11-20", d, person("w", "1952-01-01", relation="妻", applicant=True))
    assert result(case, "shibo_todoke@d").deadline == date(2026, 11, 26)


def test_months_end_the_day_before_the_corresponding_day():
    assert Deadline(4, "m").due(date(2026, 11, 20)) == date(2027, 3, 20)
    assert Deadline(3, "m", first_day=True).due(date(2026, 11, 20)) == date(2027, 2, 19)


def test_months_end_at_the_month_end_when_there_is_no_corresponding_day():
    assert Deadline(3, "m", first_day=True).due(date(2026, 11, 30)) == date(2027, 2, 28)
    assert Deadline(1, "m").due(date(2026, 1, 30)) == date(2026, 2, 28)


def test_years_end_on_the_same_day_of_the_later_year():
    assert Deadline(2, "y").due(date(2026, 11, 20)) == date(2028, 11, 20)


# 地方自治法4条の2 4項: a 届出 due on a day the city's offices are closed is on time the next
# day they open (lib.closed_days: Saturdays, Sundays, national holidays, 12月29日〜1月3日).


def test_a_deadline_on_a_saturday_moves_to_monday():
    case = visit("tennyu", "2026-04-11", person("a", "1980-01-01"))  # 14日 → 4月25日（土）
    assert result(case, "jumin_tennyu").deadline == date(2026, 4, 27)


def test_a_deadline_on_a_national_holiday_moves_to_the_next_open_day():
    case = visit("tennyu", "2026-10-20", person("a", "1980-01-01"))  # → 11月3日 文化の日
    assert result(case, "jumin_tennyu").deadline == date(2026, 11, 4)
    # シルバーウィーク 2026: 敬老の日, 国民の休日, 秋分の日 (Mon–Wed) after the weekend.
    case = visit("tennyu", "2026-09-05", person("a", "1980-01-01"))  # → 9月19日（土）
    assert result(case, "jumin_tennyu").deadline == date(2026, 9, 24)


def test_a_deadline_in_the_new_year_holidays_moves_past_them():
    case = visit("tennyu", "2026-12-16", person("a", "1980-01-01"))  # → 12月30日
    assert result(case, "jumin_tennyu").deadline == date(2027, 1, 4)  # 1月2・3日 are a weekend


def test_the_death_registration_moves_too():
    # 7日 including the day of death: 11月27日（金）→ 12月3日（木）; from the 28th, a Saturday
    # start, 12月4日（金）; from 29th, 12月5日（土）→ 12月7日（月）.
    d = person("d", "1950-01-01", role="deceased", moving=False)
    w = person("w", "1952-01-01", relation="妻", applicant=True)
    case = visit("death", "2026-11-29", d, w)
    assert result(case, "shibo_todoke@d").deadline == date(2026, 12, 7)
