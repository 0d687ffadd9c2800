"""閉庁日 (lib.closed_days): weekends, the national holidays the law computes, 年末年始."""

from datetime import date

import pytest

from lib import closed_days


@pytest.mark.parametrize(
    "day, why",
    [
        (date(2026, 11, 3), "文化の日"),
        (date(2026, 5, 6), "振替休日"),  # 5月3日 was a Sunday
        (date(2026, 9, 22), "国民の休日"),  # between 敬老の日 and 秋分の日
        (date(2027, 3, 22), "振替休日"),  # 春分の日 2027 falls on a Sunday
        (date(2026, 12, 29), "年末年始"),
        (date(2027, 1, 1), "年末年始"),
        (date(2026, 12, 5), "土曜日"),
        (date(2026, 12, 6), "日曜日"),
    ],
)
def test_closed_days_say_why(day, why):
    assert closed_days.closed_because(day) == why
    assert closed_days.is_closed(day)


def test_an_ordinary_weekday_is_open():
    assert closed_days.closed_because(date(2026, 12, 3)) is None
    assert closed_days.next_open(date(2026, 12, 3)) == date(2026, 12, 3)


def test_the_offices_weekdays_come_from_the_city():
    # A city open on Saturdays (土曜開庁): Saturday is open, a holiday still is not.
    assert not closed_days.is_closed(date(2026, 12, 5), "月火水木金土")
    assert closed_days.is_closed(date(2026, 11, 3), "月火水木金土")
    assert closed_days.next_open(date(2026, 12, 29), "月火水木金土") == date(2027, 1, 4)


def test_a_week_without_open_days_is_refused():
    with pytest.raises(ValueError):
        closed_days.next_open(date(2026, 12, 3), "")
