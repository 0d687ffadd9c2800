"""Address search keys: one form for 丁目・番地・号, hyphens, widths and kanji numerals."""

import pytest

from lib.searchkey import address_key


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("3丁目12番地4", "3-12-4"),
        ("12番地の4", "12-4"),
        ("１２－７", "12-7"),
        ("三丁目", "3-"),
        ("北四条東", "北4条東"),
        ("12番4号", "12-4"),
        ("二十三丁目5番3号", "23-5-3"),
        ("12の4", "12-4"),
    ],
)
def test_it_folds_the_ways_a_block_number_is_written(written, key):
    assert address_key(written) == key


@pytest.mark.parametrize(
    "written", ["3丁目12番地4", "3-12-4", "３－１２－４", "三丁目12番地の4", "3丁目12番4号"]
)
def test_every_writing_of_3_12_4_gives_the_same_key(written):
    assert address_key(written) == "3-12-4"


@pytest.mark.parametrize("hyphen", ["-", "‐", "−", "—", "―", "ー", "ｰ", "－", "‑", "⁃"])
def test_every_hyphen_like_between_digits_becomes_a_hyphen(hyphen):
    assert address_key(f"12{hyphen}7") == "12-7"


def test_a_long_vowel_after_katakana_stays_a_long_vowel():
    assert address_key("コーポ山田") == "コーポ山田"
    assert address_key("ｺｰﾎﾟ山田") == "コーポ山田"


def test_a_room_number_keeps_its_go_shitsu():
    assert address_key("3丁目12番地4号 コーポ山田101号室") == "3-12-4コーポ山田101号室"


def test_spaces_and_selectors_are_dropped_and_variants_folded():
    assert address_key("髙田馬場\u3000１丁目") == "高田馬場1-"
    assert address_key("葛\U000e0100西 2-3") == "葛西2-3"


def test_hiragana_in_a_place_name_is_not_turned_into_katakana():
    assert address_key("さくら台1-2") == "さくら台1-2"
    assert address_key("さくら台1-2") != address_key("サクラ台1-2")


def test_address_key_is_idempotent():
    for s in ["3丁目12番地4", "北四条東1丁目", "コーポ山田101号室", "１２－７"]:
        assert address_key(address_key(s)) == address_key(s)
