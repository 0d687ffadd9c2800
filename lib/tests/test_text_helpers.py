"""Digits for printing, kanji numerals for 丁目, and counting characters in names."""

import pytest

from lib.text import (
    digits_as,
    grapheme_len,
    strip_variation_selectors,
    to_fullwidth_digits,
    to_kanji_numeral,
)


def test_digits_and_hyphens_print_full_width():
    assert to_fullwidth_digits("123番地4") == "１２３番地４"
    assert to_fullwidth_digits("12-7") == "１２－７"


@pytest.mark.parametrize(
    ("n", "kanji"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (23, "二十三"),
        (99, "九十九"),
        (100, "百"),
        (0, "〇"),
    ],
)
def test_numbers_become_kanji_numerals(n, kanji):
    assert to_kanji_numeral(n) == kanji


def test_negative_numbers_have_no_kanji_numeral():
    with pytest.raises(ValueError):
        to_kanji_numeral(-1)


def test_a_base_and_its_variation_selector_count_as_one():
    assert grapheme_len("葛\U000e0100飾") == 2
    assert grapheme_len("辻\ufe00") == 1


def test_a_non_bmp_character_counts_as_one():
    assert grapheme_len("𠮷田") == 2


def test_a_combining_dakuten_counts_with_its_base():
    assert grapheme_len("カ\u3099") == 1


def test_plain_text_counts_its_characters():
    assert grapheme_len("山田太郎") == 4
    assert grapheme_len("Smith") == 5
    assert grapheme_len("") == 0


def test_strip_variation_selectors_removes_both_kinds_and_nothing_else():
    assert strip_variation_selectors("葛\U000e0100辻\ufe00𠮷") == "葛辻𠮷"
    assert strip_variation_selectors("\ufa30") == "\ufa30"


def test_halfwidth_input_reads_zip_phone_and_dates_as_ascii():
    from lib.text import halfwidth_input

    assert halfwidth_input("０９０－００２４") == "090-0024"
    assert halfwidth_input("０１５７－２３－４５６７") == "0157-23-4567"
    assert halfwidth_input("（０１５７）２３ー４５６７") == "(0157)23-4567"
    assert halfwidth_input("　２０２６／０４／０１　") == "2026/04/01"
    assert halfwidth_input("３−１２") == "3-12"


def test_digits_as_widens_or_narrows_only_digits_and_the_hyphen_between_two():
    assert digits_as("〒090-0024 北4条東3-12", "full") == "〒０９０－００２４ 北４条東３－１２"
    assert digits_as("〒０９０－００２４ 令和８年", "half") == "〒090-0024 令和8年"
    assert digits_as("コーポ北見 201", "full") == "コーポ北見 ２０１"
    # Latin text keeps its digits as it keeps its letters: a code, an address abroad
    assert digits_as("在留カード AB12345678CD", "full") == "在留カード AB12345678CD"
    assert digits_as("12 Nguyen Hue, District 1", "full") == "12 Nguyen Hue, District 1"
    assert digits_as("ＡＢ１２３４ 北１条", "half") == "ＡＢ１２３４ 北1条"
    ivs = "葛\U000e0100西\u3000二郎"
    assert digits_as(ivs, "full") == ivs and digits_as(ivs, "half") == ivs


def test_digits_as_refuses_a_width_it_does_not_know():
    with pytest.raises(ValueError, match="full"):
        digits_as("1", "wide")
