"""個人番号 (My Number): the check digit of 総務省令85号 5条, masking, synthetic numbers.

A My Number is 特定個人情報: this module only checks and masks; storing it encrypted
and logging access belong to the callers (japanese-text.md).
"""

import random
import re

_SEPARATORS = {ord(c): None for c in " \u3000-‐‑−－ー"} | {
    c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)
}
_TWELVE_DIGITS = re.compile("[0-9]{12}")
_ELEVEN_DIGITS = re.compile("[0-9]{11}")

MASK_CHAR = "＊"


def _digits(s: str) -> str:
    """Spaces and hyphens removed, full-width digits made ASCII."""
    return s.translate(_SEPARATORS)


def check_digit(first11: str) -> int:
    """The 12th digit: weights Qn = n+1 (n ≤ 6) and n−5 (n ≥ 7), P1 the rightmost digit."""
    if not (isinstance(first11, str) and _ELEVEN_DIGITS.fullmatch(first11)):
        raise ValueError("個人番号の先頭11桁を数字で指定してください")
    r = 0
    for n, ch in enumerate(reversed(first11), start=1):
        r += int(ch) * (n + 1 if n <= 6 else n - 5)
    r %= 11
    return 0 if r <= 1 else 11 - r


def is_valid(s: str) -> bool:
    """Twelve digits (spaces, hyphens and full-width digits allowed) with a correct check digit."""
    if not isinstance(s, str):
        return False
    d = _digits(s)
    return bool(_TWELVE_DIGITS.fullmatch(d)) and check_digit(d[:11]) == int(d[11])


def mask(s: str) -> str:
    """「＊＊＊＊ ＊＊＊＊ 9018」: only the last four digits shown, in the card's 4-4-4 grouping.

    Anything that is not twelve digits is masked whole, so a typo never leaks digits;
    an empty value stays empty (nothing on file).
    """
    if not s:
        return ""
    d = _digits(s)
    last = d[8:] if _TWELVE_DIGITS.fullmatch(d) else MASK_CHAR * 4
    return f"{MASK_CHAR * 4} {MASK_CHAR * 4} {last}"


def generate(rng: random.Random) -> str:
    """A synthetic number with a valid check digit, for demo residents only."""
    first11 = f"{rng.randrange(10**11):011d}"
    return first11 + str(check_digit(first11))
