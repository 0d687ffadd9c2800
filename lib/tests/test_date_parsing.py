"""Reading the dates staff type at the counter."""

from datetime import date

import pytest

from lib.wareki import DateParseError, parse_date, parse_date_with_era

APRIL_1_R8 = date(2026, 4, 1)
MARCH_2_S55 = date(1980, 3, 2)


@pytest.mark.parametrize(
    "text",
    ["R8.4.1", "令和8年4月1日", "令8.04.01", "r8.4.1", "  R8.4.1  ", "㋿8.4.1", "R080401"],
)
def test_it_reads_reiwa_8_april_1_in_every_form_staff_type(text):
    assert parse_date(text) == APRIL_1_R8


@pytest.mark.parametrize(
    "text",
    [
        "S55/3/2",
        "S55.3.2",
        "s55.3.2",
        "昭和55年3月2日",
        "昭55.3.2",
        "㍼55.3.2",
        "昭和５５年３月２日",
        "Ｓ５５．３．２",
        "昭和 55年 3月 2日",
        "\u3000昭和55年3月2日\u3000",
        "S55。3。2",
    ],
)
def test_it_reads_showa_55_march_2_in_every_form_staff_type(text):
    assert parse_date(text) == MARCH_2_S55


@pytest.mark.parametrize(
    "text",
    ["1980-03-02", "1980/3/2", "19800302", "1980年3月2日", "１９８０－０３－０２", "1980.3.2"],
)
def test_it_reads_seireki_dates(text):
    assert parse_date(text) == MARCH_2_S55


def test_seireki_input_reports_no_era():
    assert parse_date_with_era("1980-03-02") == (MARCH_2_S55, None)


def test_era_input_reports_the_era_written():
    assert parse_date_with_era("S55.3.2") == (MARCH_2_S55, "昭和")
    assert parse_date_with_era("㍻1.1.8") == (date(1989, 1, 8), "平成")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("㍾45.7.30", date(1912, 7, 30)),
        ("㍽1.7.30", date(1912, 7, 30)),
        ("㍼64.1.7", date(1989, 1, 7)),
        ("㍻31.4.30", date(2019, 4, 30)),
        ("㋿元.5.1", date(2019, 5, 1)),
    ],
)
def test_it_reads_the_single_character_eras(text, expected):
    assert parse_date(text) == expected


def test_it_reads_gannen_written_with_the_letter_form():
    assert parse_date("R元.5.1") == date(2019, 5, 1)


@pytest.mark.parametrize("text", ["", "   ", "\u3000"])
def test_empty_input_is_rejected(text):
    with pytest.raises(DateParseError) as err:
        parse_date(text)
    assert "入力されていません" in str(err.value)


def test_year_zero_is_rejected():
    with pytest.raises(DateParseError) as err:
        parse_date("令和0年5月1日")
    assert "令和0年" in str(err.value)


def test_february_30_is_rejected_as_a_nonexistent_date():
    with pytest.raises(DateParseError) as err:
        parse_date("R8.2.30")
    assert str(err.value) == "2月30日は存在しない日付です"


def test_february_29_in_a_common_year_is_rejected_naming_the_year():
    with pytest.raises(DateParseError) as err:
        parse_date("平成2年2月29日")
    assert "平成2年" in str(err.value)
    assert "2月29日" in str(err.value)


def test_month_13_is_rejected():
    with pytest.raises(DateParseError) as err:
        parse_date("R8.13.1")
    assert "13月" in str(err.value)


@pytest.mark.parametrize("text", ["abc", "2月30日", "R8.4", "X8.4.1", "1980-03"])
def test_unreadable_text_is_rejected_quoting_it(text):
    with pytest.raises(DateParseError) as err:
        parse_date(text)
    assert str(err.value) == f"日付として読めません: {text}"


def test_a_date_parse_error_is_a_value_error_so_form_code_can_catch_either():
    with pytest.raises(ValueError):
        parse_date("平成32年1月1日")
