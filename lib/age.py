"""Ages at a date, by the rules of life-events.md §2 (one implementation for the whole system)."""

from datetime import date, timedelta


def _birthday_in(birth: date, year: int) -> date:
    # A 2月29日 birthday falls on 3月1日 in common years for counting purposes; the legal
    # rule below only needs "the day before", which is 2月28日 either way.
    try:
        return birth.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def birthday_age(birth: date, on: date) -> int:
    """Completed years counted by birthdays (the 75th birthday itself starts 後期高齢)."""
    years = on.year - birth.year
    if on < _birthday_in(birth, on.year):
        years -= 1
    return years


def legal_age(birth: date, on: date) -> int:
    """年齢計算ニ関スル法律: age N is reached on the day before the Nth birthday."""
    return birthday_age(birth, on + timedelta(days=1))


def reaches_age_on(birth: date, n: int) -> date:
    """The day a person reaches age N under the legal rule."""
    return _birthday_in(birth, birth.year + n) - timedelta(days=1)


def first_march31_on_or_after(d: date) -> date:
    m31 = date(d.year, 3, 31)
    return m31 if d <= m31 else date(d.year + 1, 3, 31)


def first_april1_after(d: date) -> date:
    a1 = date(d.year, 4, 1)
    return a1 if d < a1 else date(d.year + 1, 4, 1)


def is_child18(birth: date, on: date) -> bool:
    """On or before the first 3月31日 after the day the person reaches 18."""
    return birth <= on <= first_march31_on_or_after(reaches_age_on(birth, 18))


def school_entry_date(birth: date) -> date:
    """The 4月1日 after reaching 6: the day a child enters elementary school."""
    return first_april1_after(reaches_age_on(birth, 6))


def is_school_age(birth: date, on: date) -> bool:
    """From the 4月1日 after reaching 6 until the 3月31日 after reaching 15 (義務教育)."""
    return school_entry_date(birth) <= on <= first_march31_on_or_after(reaches_age_on(birth, 15))


def is_preschool(birth: date, on: date) -> bool:
    """Born, and not yet in school."""
    return birth <= on < school_entry_date(birth)
