"""Facts turn screen answers into values and values into Japanese for screens."""

from datetime import date

import pytest

from catalog.tests.helpers import pack


def fact(fid):
    return pack().facts[fid]


def test_yes_and_no_answers_become_booleans():
    assert fact("has_inkan").parse("はい") is True
    assert fact("has_inkan").parse("false") is False


def test_an_enum_answer_may_be_its_value_or_its_label():
    assert fact("health_insurance").parse("kokuho") == "kokuho"
    assert fact("health_insurance").parse("後期高齢者医療") == "koki"


def test_a_wrong_answer_raises_a_message_for_staff():
    with pytest.raises(ValueError, match="健康保険"):
        fact("health_insurance").parse("kokuhoo")
    with pytest.raises(ValueError, match="はい"):
        fact("has_inkan").parse("たぶん")


def test_dates_are_read_the_way_staff_type_them():
    assert fact("birth_date").parse("S55.3.2") == date(1980, 3, 2)


def test_numbers_and_sets_are_read():
    assert fact("birth_weight_g").parse("２４９９") == 2499
    assert fact("disability_handbooks").parse("shintai、療育手帳") == ["ryoiku", "shintai"]


def test_values_are_displayed_in_japanese():
    assert fact("health_insurance").display("kokuho") == "国民健康保険"
    assert fact("has_inkan").display(True) == "はい"
    assert fact("birth_date").display(date(2026, 4, 10)) == "令和8年4月10日"
    assert fact("birth_date").display("2026-04-10") == "令和8年4月10日"
    assert fact("disability_handbooks").display(["shintai"]) == "身体障害者手帳"
    assert fact("sex").display(2) == "女"
    assert fact("care_certified").display(None) == "不明"


def test_every_fact_has_a_polite_japanese_question():
    for f in pack().facts.values():
        assert f.question.endswith(("？", "。", "）")), f.id
