"""Search keys for names and readings: stored text stays exact, only keys fold."""

import pytest

from lib.searchkey import kana_key, name_key

KATSU_IVS_0 = "\u845b\U000e0100"  # 葛 with the first ideographic variation selector
KATSU_IVS_2 = "\u845b\U000e0102"


def test_ideographic_variation_selectors_are_stripped_from_the_name_key():
    assert name_key(KATSU_IVS_0) == "葛"
    assert name_key(KATSU_IVS_2) == "葛"
    assert name_key(KATSU_IVS_0 + "飾") == name_key("葛飾")


def test_standardized_variation_selectors_are_stripped_too():
    assert name_key("辻\ufe00") == "辻"


def test_the_name_keeps_its_selector_after_the_key_is_computed():
    name = "斉\U000e0103藤"
    key = name_key(name)
    assert name == "斉\U000e0103藤"
    assert key == "斉藤"


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("髙橋", "高橋"),
        ("山﨑", "山崎"),
        ("山嵜", "山崎"),
        ("𠮷田", "吉田"),
        ("渡邊", "渡辺"),
        ("渡邉", "渡辺"),
        ("澤田", "沢田"),
        ("濱田", "浜田"),
        ("齋藤", "斉藤"),
        ("齊藤", "斉藤"),
        ("斎藤", "斉藤"),
        ("國分", "国分"),
        ("櫻井", "桜井"),
        ("廣瀬", "広瀬"),
        ("德川", "徳川"),
        ("眞田", "真田"),
        ("龍馬", "竜馬"),
        ("栁田", "柳田"),
        ("冨田", "富田"),
        ("大\ufa10", "大塚"),
        ("髮", "髪"),
    ],
)
def test_variant_kanji_fold_to_one_representative(variant, plain):
    assert name_key(variant) == name_key(plain)
    assert name_key(variant) != variant


def test_a_compatibility_ideograph_folds_only_in_the_key():
    name = "\ufa30"  # CJK COMPATIBILITY IDEOGRAPH-FA30, canonically U+4FAE
    assert name_key(name) == "\u4fae"
    assert name == "\ufa30"
    assert len(name) == 1 and ord(name) == 0xFA30


def test_a_compatibility_ideograph_that_decomposes_to_a_variant_reaches_the_representative():
    assert name_key("\uf9c4") == "竜"  # U+F9C4 decomposes to 龍, which folds to 竜


def test_ideographs_without_variants_are_untouched():
    assert name_key("葛飾区役所") == "葛飾区役所"


def test_spaces_and_width_are_folded_in_the_name_key():
    assert name_key("山田\u3000太郎") == "山田太郎"
    assert name_key("山田 太郎") == "山田太郎"
    assert name_key("ＳＭＩＴＨ　Ｊｏｈｎ") == "SMITHJOHN"


def test_a_kana_name_matches_whichever_kana_was_typed():
    assert name_key("さくら") == name_key("サクラ") == name_key("ｻｸﾗ") == "サクラ"


@pytest.mark.parametrize(
    "name",
    ["髙橋\u3000𠮷男", KATSU_IVS_0 + "西\u3000ｷｮｳｺ", "ＳＭＩＴＨ　John", "\ufa30\uf9c4", "ｶﾞｯｺｳ"],
)
def test_name_key_is_idempotent(name):
    assert name_key(name_key(name)) == name_key(name)


@pytest.mark.parametrize("typed", ["やまだ たろう", "ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダタロウ"])
def test_hiragana_half_width_and_katakana_queries_share_a_kana_key(typed):
    assert kana_key(typed) == "ヤマダタロウ"


@pytest.mark.parametrize(
    ("small", "large"),
    [
        ("キョウコ", "キヨウコ"),
        ("ガッコウ", "ガツコウ"),
        ("ファン", "フアン"),
        ("ヵ", "カ"),
        ("ヶ", "ケ"),
        ("ヮ", "ワ"),
    ],
)
def test_small_kana_fold_to_large_in_the_kana_key(small, large):
    assert kana_key(small) == kana_key(large) == large


def test_voiced_marks_are_kept_in_the_kana_key():
    assert kana_key("ガ") == "ガ"
    assert kana_key("ｶﾞ") == "ガ"
    assert kana_key("カ") != kana_key("ガ")
    assert kana_key("ﾊﾟ") == kana_key("ぱ") == "パ"


def test_long_vowel_is_kept_and_middle_dot_dropped_in_the_kana_key():
    assert kana_key("ジョン・スミス") == "ジヨンスミス"
    assert kana_key("ルーシー") == "ルーシー"


def test_alphabet_names_are_upper_cased_without_spaces():
    assert kana_key("Smith John") == "SMITHJOHN"
    assert kana_key("ｓｍｉｔｈ　ｊｏｈｎ") == "SMITHJOHN"


def test_kana_key_is_idempotent():
    for s in ["きょうこ", "ｶﾞｯｺｳ", "Smith John", "ジョン・スミス"]:
        assert kana_key(kana_key(s)) == kana_key(s)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("ヤマザキ", "ヤマサキ"),
        ("パッタ", "ハツタ"),
        ("ヴィ", "ウイ"),
        ("ｶﾞｽ", "カス"),
        ("ー", "ー"),
    ],
)
def test_the_seion_key_drops_voicing_marks_from_a_reading_key(typed, key):
    from lib.searchkey import seion_key

    assert seion_key(kana_key(typed)) == key
    assert seion_key(key) == key  # idempotent
