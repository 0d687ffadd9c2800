"""My Number: check digit of 総務省令85号 5条, validation, masking, synthetic numbers."""

import random

import pytest

from lib.mynumber import check_digit, generate, is_valid, mask

VALID = ["123456789018", "987654321093", "537686677188"]


@pytest.mark.parametrize("number", VALID)
def test_the_check_digit_of_the_published_examples_is_their_last_digit(number):
    assert check_digit(number[:11]) == int(number[11])


@pytest.mark.parametrize("number", VALID)
def test_the_published_examples_are_valid(number):
    assert is_valid(number)


@pytest.mark.parametrize("number", VALID)
def test_any_other_last_digit_is_rejected(number):
    for d in "0123456789":
        if d != number[11]:
            assert not is_valid(number[:11] + d)


def test_a_changed_body_digit_is_rejected():
    assert not is_valid("123456789118")


@pytest.mark.parametrize("number", ["12345678901", "1234567890180", "", "12345678901a"])
def test_wrong_lengths_and_letters_are_rejected(number):
    assert not is_valid(number)


def test_spaces_hyphens_and_full_width_digits_are_accepted():
    assert is_valid("1234 5678 9018")
    assert is_valid("1234-5678-9018")
    assert is_valid("１２３４　５６７８　９０１８")


def test_non_ascii_digits_of_other_scripts_are_rejected():
    assert not is_valid("١٢٣٤٥٦٧٨٩٠١٨")


def test_check_digit_needs_eleven_ascii_digits():
    with pytest.raises(ValueError):
        check_digit("1234567890")
    with pytest.raises(ValueError):
        check_digit("１２３４５６７８９０１")


def test_mask_shows_only_the_last_four_digits():
    assert mask("123456789018") == "＊＊＊＊ ＊＊＊＊ 9018"
    assert mask("1234-5678-9018") == "＊＊＊＊ ＊＊＊＊ 9018"
    assert "1234" not in mask("123456789018")


def test_mask_hides_everything_when_the_input_is_not_twelve_digits():
    assert mask("12345678901") == "＊＊＊＊ ＊＊＊＊ ＊＊＊＊"


def test_mask_of_nothing_is_empty():
    assert mask("") == ""


def test_generated_numbers_are_valid_and_reproducible():
    numbers = [generate(random.Random(7)) for _ in range(2)]
    assert numbers[0] == numbers[1]
    rng = random.Random(42)
    generated = [generate(rng) for _ in range(500)]
    assert all(len(n) == 12 and n.isascii() and is_valid(n) for n in generated)
    assert len(set(generated)) > 490
