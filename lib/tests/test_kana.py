"""Kana conversions for storing 振り仮名 (katakana, full-width, small kana kept)."""

import pytest

from lib.kana import is_kana, to_hiragana, to_katakana


def test_hiragana_becomes_katakana():
    assert to_katakana("やまだ　たろう") == "ヤマダ\u3000タロウ"


def test_small_kana_are_not_folded_when_storing():
    assert to_katakana("きょうこ") == "キョウコ"
    assert to_katakana("キョウコ") == "キョウコ"


def test_half_width_kana_widen_and_join_their_voiced_marks():
    assert to_katakana("ｶﾞｯｺｳ") == "ガッコウ"


@pytest.mark.parametrize(
    ("half", "full"),
    [("ｶﾞ", "ガ"), ("ﾊﾟ", "パ"), ("ｳﾞ", "ヴ"), ("ﾎﾞ", "ボ"), ("ﾎﾟ", "ポ"), ("ﾜﾞ", "ヷ")],
)
def test_each_half_width_voiced_pair_becomes_one_character(half, full):
    assert to_katakana(half) == full


def test_half_width_long_vowel_and_middle_dot_widen():
    assert to_katakana("ｺｰﾋｰ･ﾏﾘｱ") == "コーヒー・マリア"


def test_a_full_width_kana_with_a_combining_mark_is_composed():
    assert to_katakana("カ\u3099") == "ガ"
    assert to_katakana("か゛") == "ガ"


def test_a_voiced_mark_without_a_base_is_kept_as_a_visible_mark():
    assert to_katakana("ﾝﾞ") == "ン゛"


def test_wave_dash_and_long_vowel_are_untouched():
    assert to_katakana("〜ー") == "〜ー"
    assert to_katakana("ルーシー〜") == "ルーシー〜"


def test_runs_of_spaces_become_one_ideographic_space():
    assert to_katakana("やまだ  たろう") == "ヤマダ\u3000タロウ"
    assert to_katakana("ヤマダ \u3000 タロウ") == "ヤマダ\u3000タロウ"
    assert to_katakana("ﾔﾏﾀﾞ ﾀﾛｳ") == "ヤマダ\u3000タロウ"


def test_spaces_at_the_ends_are_trimmed():
    assert to_katakana(" \u3000やまだ ") == "ヤマダ"


def test_katakana_input_is_unchanged():
    assert (
        to_katakana("ヴァイオレット\u3000エヴァーガーデン")
        == "ヴァイオレット\u3000エヴァーガーデン"
    )


def test_iteration_marks_follow_the_script():
    assert to_katakana("いすゞ") == "イスヾ"


def test_kanji_and_latin_are_left_alone():
    assert to_katakana("山田 Taro") == "山田\u3000Taro"


def test_to_hiragana_turns_katakana_and_half_width_into_hiragana():
    assert to_hiragana("ｷｮｳｺ") == "きょうこ"
    assert to_hiragana("ヴ") == "ゔ"


@pytest.mark.parametrize(
    "text",
    ["ヤマダ", "やまだ", "ﾔﾏﾀﾞ", "ヤマダ\u3000タロウ", "ジョン・スミス", "ルーシー", "ガッコウ"],
)
def test_is_kana_accepts_readings(text):
    assert is_kana(text)


@pytest.mark.parametrize("text", ["山田", "ヤマダ太郎", "YAMADA", "", "\u3000", "・", "ヤマダ1"])
def test_is_kana_rejects_anything_else(text):
    assert not is_kana(text)
