"""全国地方公共団体コード: the 6-digit code of a prefecture or municipality.

Five digits (2 for the prefecture, 3 for the municipality) and a check digit: the five
weighted 6, 5, 4, 3, 2 from the left and summed, the sum's remainder r by 11, and the
check digit is the last digit of 11 − r (総務省「全国地方公共団体コード」の検査数字).
北見市 012084: 0·6 + 1·5 + 2·4 + 0·3 + 8·2 = 29, r = 7, 11 − 7 = 4.
"""

import re

_CODE = re.compile(r"[0-9]{6}")


def check_digit(first5: str) -> int:
    total = sum(int(d) * w for d, w in zip(first5, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def is_valid(code: str) -> bool:
    """Six ASCII digits whose last is the check digit of the first five."""
    return bool(_CODE.fullmatch(code)) and check_digit(code[:5]) == int(code[5])
