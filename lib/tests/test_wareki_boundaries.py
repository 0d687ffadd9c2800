"""和暦 both ways at every era boundary (japanese-text.md table)."""

from datetime import date

import pytest

from lib.wareki import DateParseError, parse_date, parse_date_with_era, to_wareki, wareki_parts

# (last day of the old era as written, first day of the new era as written, the two dates)
BOUNDARIES = [
    ("明治45年7月29日", "大正元年7月30日", date(1912, 7, 29), date(1912, 7, 30)),
    ("大正15年12月24日", "昭和元年12月25日", date(1926, 12, 24), date(1926, 12, 25)),
    ("昭和64年1月7日", "平成元年1月8日", date(1989, 1, 7), date(1989, 1, 8)),
    ("平成31年4月30日", "令和元年5月1日", date(2019, 4, 30), date(2019, 5, 1)),
]


@pytest.mark.parametrize(("before", "first", "d_before", "d_first"), BOUNDARIES)
def test_the_day_before_an_era_prints_in_the_old_era(before, first, d_before, d_first):
    assert to_wareki(d_before) == before


@pytest.mark.parametrize(("before", "first", "d_before", "d_first"), BOUNDARIES)
def test_the_first_day_of_an_era_prints_as_gannen(before, first, d_before, d_first):
    assert to_wareki(d_first) == first


@pytest.mark.parametrize(("before", "first", "d_before", "d_first"), BOUNDARIES)
def test_both_sides_of_a_boundary_parse_back_to_their_dates(before, first, d_before, d_first):
    assert parse_date(before) == d_before
    assert parse_date(first) == d_first


def test_meiji_starts_on_1868_01_25():
    assert to_wareki(date(1868, 1, 25)) == "明治元年1月25日"
    assert parse_date("明治元年1月25日") == date(1868, 1, 25)


def test_reiwa_gannen_may_1_parses_and_formats():
    assert parse_date("令和元年5月1日") == date(2019, 5, 1)
    assert to_wareki(date(2019, 5, 1)) == "令和元年5月1日"


def test_the_first_year_is_written_1_when_gannen_is_off():
    assert to_wareki(date(2019, 5, 1), gannen=False) == "令和1年5月1日"
    assert to_wareki(date(2019, 12, 31), gannen=False) == "令和1年12月31日"
    assert to_wareki(date(2020, 1, 1), gannen=False) == "令和2年1月1日"


def test_a_first_year_written_as_1_parses_like_gannen():
    assert parse_date("令和1年5月1日") == parse_date("令和元年5月1日") == date(2019, 5, 1)


def test_showa_64_january_7_is_accepted():
    assert parse_date("昭和64年1月7日") == date(1989, 1, 7)


def test_showa_64_january_8_is_rejected_saying_showa_64_ends_january_7():
    with pytest.raises(DateParseError) as err:
        parse_date("昭和64年1月8日")
    assert "昭和64年は1月7日まで" in str(err.value)


def test_heisei_31_april_30_is_2019_04_30():
    assert parse_date("平成31年4月30日") == date(2019, 4, 30)
    assert to_wareki(date(2019, 4, 30)) == "平成31年4月30日"


def test_heisei_31_may_1_is_rejected_because_reiwa_began():
    with pytest.raises(DateParseError) as err:
        parse_date("平成31年5月1日")
    assert "平成31年は4月30日まで" in str(err.value)
    assert "令和" in str(err.value)


def test_heisei_32_is_rejected_with_a_message_naming_it():
    with pytest.raises(DateParseError) as err:
        parse_date("平成32年1月1日")
    assert str(err.value) == "平成32年は存在しません（平成は31年4月30日まで）"


def test_a_date_before_an_eras_first_day_is_rejected():
    with pytest.raises(DateParseError) as err:
        parse_date("令和1年4月30日")
    assert "令和元年は5月1日から" in str(err.value)


def test_meiji_1_before_january_25_is_rejected():
    with pytest.raises(DateParseError):
        parse_date("明治元年1月24日")


# The two days on which an era began at an emperor's death belong to both eras.
DOUBLE_ERA_DAYS = [
    ("明治45年7月30日", date(1912, 7, 30), "明治"),
    ("大正元年7月30日", date(1912, 7, 30), "大正"),
    ("大正15年12月25日", date(1926, 12, 25), "大正"),
    ("昭和元年12月25日", date(1926, 12, 25), "昭和"),
]


@pytest.mark.parametrize(("written", "d", "era"), DOUBLE_ERA_DAYS)
def test_a_double_era_day_parses_in_either_era_and_keeps_the_written_era(written, d, era):
    assert parse_date_with_era(written) == (d, era)


@pytest.mark.parametrize(("written", "d", "era"), DOUBLE_ERA_DAYS)
def test_a_double_era_day_formats_back_in_the_written_era(written, d, era):
    assert to_wareki(d, era=era) == written


def test_a_double_era_day_defaults_to_the_new_era():
    assert to_wareki(date(1912, 7, 30)) == "大正元年7月30日"
    assert to_wareki(date(1926, 12, 25)) == "昭和元年12月25日"


def test_the_day_after_a_double_era_day_is_only_in_the_new_era():
    with pytest.raises(DateParseError):
        parse_date("明治45年7月31日")
    with pytest.raises(DateParseError):
        parse_date("大正15年12月26日")
    with pytest.raises(ValueError):
        to_wareki(date(1926, 12, 26), era="大正")


def test_a_forced_era_that_does_not_contain_the_date_raises():
    with pytest.raises(ValueError):
        to_wareki(date(2019, 5, 1), era="平成")
    with pytest.raises(ValueError):
        to_wareki(date(1989, 1, 8), era="昭和")
    with pytest.raises(ValueError):
        to_wareki(date(1926, 12, 24), era="昭和")


def test_the_forced_era_may_be_given_as_a_letter():
    assert to_wareki(date(1912, 7, 30), era="M") == "明治45年7月30日"


def test_wareki_parts_gives_era_year_month_day():
    assert wareki_parts(date(2026, 4, 10)) == ("令和", 8, 4, 10)
    assert wareki_parts(date(1926, 12, 25), era="大正") == ("大正", 15, 12, 25)


def test_leap_day_in_an_era_year_round_trips():
    assert parse_date("平成4年2月29日") == date(1992, 2, 29)
    assert to_wareki(date(1992, 2, 29)) == "平成4年2月29日"
