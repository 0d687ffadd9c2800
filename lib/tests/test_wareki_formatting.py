"""Formatting dates for forms, dense screens and foreign residents."""

from datetime import date

import pytest

from lib.wareki import ERAS, to_seireki, to_wareki, to_wareki_short


def test_a_date_formats_as_kanji_era_year_month_day():
    assert to_wareki(date(2026, 4, 10)) == "令和8年4月10日"


def test_zero_padding_pads_year_month_and_day_to_two_digits():
    assert to_wareki(date(2026, 4, 1), zero_pad=True) == "令和08年04月01日"


def test_zero_padding_keeps_gannen():
    assert to_wareki(date(2019, 5, 1), zero_pad=True) == "令和元年05月01日"


def test_the_short_form_uses_the_era_letter_and_dots():
    assert to_wareki_short(date(2026, 4, 10)) == "R8.4.10"
    assert to_wareki_short(date(1980, 3, 2)) == "S55.3.2"
    assert to_wareki_short(date(2019, 5, 1)) == "R1.5.1"


def test_foreign_residents_dates_print_in_seireki():
    assert to_seireki(date(2026, 4, 10)) == "2026年4月10日"


def test_a_date_before_meiji_cannot_be_written_in_wareki():
    with pytest.raises(ValueError):
        to_wareki(date(1868, 1, 24))
    with pytest.raises(ValueError):
        to_wareki_short(date(1800, 1, 1))


def test_an_unknown_era_name_is_rejected():
    with pytest.raises(ValueError):
        to_wareki(date(2026, 4, 10), era="慶応")


def test_the_era_table_lists_the_five_modern_eras_in_order():
    assert [(e.name, e.letter, e.symbol) for e in ERAS] == [
        ("明治", "M", "㍾"),
        ("大正", "T", "㍽"),
        ("昭和", "S", "㍼"),
        ("平成", "H", "㍻"),
        ("令和", "R", "㋿"),
    ]
    assert [e.start for e in ERAS] == sorted(e.start for e in ERAS)
    name, letter, symbol, start = ERAS[-1]
    assert start == date(2019, 5, 1)
