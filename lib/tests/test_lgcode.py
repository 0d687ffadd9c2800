import pytest

from lib import lgcode


@pytest.mark.parametrize(
    "code",
    # 北見市, 札幌市, 千代田区, 静岡県 (remainder 0: 1), 長野県 (remainder 1: 0), 大阪府, 那覇市
    ["012084", "011002", "131016", "220001", "200000", "270008", "472018"],
)
def test_real_codes_have_their_check_digit(code):
    assert lgcode.is_valid(code)


@pytest.mark.parametrize(
    "code", ["012085", "019998", "01208", "0120844", "０１２０８４", "01208a", ""]
)
def test_a_wrong_check_digit_or_shape_is_refused(code):
    assert not lgcode.is_valid(code)


def test_the_check_digit_is_the_last_digit_of_11_minus_the_remainder():
    assert lgcode.check_digit("01208") == 4
    assert lgcode.check_digit("22000") == 1  # remainder 0: 11 → 1
    assert lgcode.check_digit("20000") == 0  # remainder 1: 10 → 0
