"""閉庁日: the days a municipality's offices are closed, and the day a deadline moves to.

地方自治法4条の2 lets a city's ordinance close its offices on Sundays and Saturdays, on the
national holidays (国民の祝日に関する法律: with 振替休日 and 国民の休日) and at 年末年始
(12月29日から1月3日, as nearly every city's ordinance says); a deadline for a 届出 or 申請 to
the city that ends on such a day ends on the next day that is not one (its 4項).

The holidays come from the `holidays` package, which computes them by the law's rules (the
equinoxes included) for any year, with no network. A city's `office_days` (the catalog pack's
settings, 「月火水木金」) say which weekdays are open at all.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

WEEKDAYS = "月火水木金土日"  # Monday first, as date.weekday()
OPEN_WEEKDAYS = WEEKDAYS[:5]
YEAR_END = ((12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))


@lru_cache(maxsize=64)
def _holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("JP", years=year, language="ja"))


def holiday_name(day: date) -> str | None:
    """「振替休日」, 「文化の日」…, or None on a day that is not a national holiday."""
    return _holidays(day.year).get(day)


def closed_because(day: date, open_weekdays: str = OPEN_WEEKDAYS) -> str | None:
    """Why the offices are closed on `day` (「土曜日」「文化の日」「年末年始」), or None."""
    if (day.month, day.day) in YEAR_END:
        return "年末年始"
    name = holiday_name(day)
    if name:
        return name
    weekday = WEEKDAYS[day.weekday()]
    return None if weekday in open_weekdays else f"{weekday}曜日"


def is_closed(day: date, open_weekdays: str = OPEN_WEEKDAYS) -> bool:
    return closed_because(day, open_weekdays) is not None


def next_open(day: date, open_weekdays: str = OPEN_WEEKDAYS) -> date:
    """`day`, or the first day after it that the offices are open (a deadline's last day)."""
    if not any(w in open_weekdays for w in WEEKDAYS):
        raise ValueError("no weekday is open")
    while is_closed(day, open_weekdays):
        day += timedelta(days=1)
    return day
