"""Small text helpers for printing and counting (no normalisers: japanese-text.md)."""

import re
import unicodedata

# Standardized variation selectors and the ideographic variation selectors of IVS.
VARIATION_SELECTORS = frozenset(
    [chr(c) for c in range(0xFE00, 0xFE10)] + [chr(c) for c in range(0xE0100, 0xE01F0)]
)
_STRIP_VS = {ord(c): None for c in VARIATION_SELECTORS}

_FULLWIDTH_DIGITS = {ord(str(i)): chr(0xFF10 + i) for i in range(10)} | {ord("-"): "－"}

_KANJI_DIGITS = "〇一二三四五六七八九"

# What a Japanese IME types into a number-like field: full-width ASCII (０９０, Ａ, （）),
# the hyphen look-alikes (－ ‐ − — ― ー ｰ) and the ideographic space.
HALFWIDTH_INPUT = (
    {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
    | {ord(c): "-" for c in "‐‑‒–—―−ーｰ"}
    | {0x3000: " "}
)


def strip_variation_selectors(s: str) -> str:
    return s.translate(_STRIP_VS)


def to_fullwidth_digits(s: str) -> str:
    """ASCII digits and '-' to their full-width forms (１２３番地４, １２－７) for printing."""
    return s.translate(_FULLWIDTH_DIGITS)


# How a form writes its digits (a form template's `digits`, the pack's `form_digits`).
DIGIT_WIDTHS = ("full", "half")
_TO_FULL = {ord(str(i)): chr(0xFF10 + i) for i in range(10)}
_TO_HALF = {ord(v): chr(k) for k, v in _TO_FULL.items()}
# Digits are changed within runs of one width's characters (ASCII, or U+FF01-FF5E). A run
# with a Latin letter is Latin text written as given (an address abroad, 「12 Nguyen Hue」,
# a code like 在留カード番号 AB12345678CD) and keeps its digits, as it keeps its letters.
_RUNS = {"full": re.compile("[ -~]+"), "half": re.compile("[\uff01-\uff5e]+")}
_LETTER = {"full": re.compile("[A-Za-z]"), "half": re.compile("[Ａ-Ｚａ-ｚ]")}
# A hyphen joining two digits (〒060-0001, 090-1234-5678, 12-7) is part of the number and
# takes its width; any other hyphen is left as written.
_JOINERS = {
    "full": (re.compile("(?<=[0-9])-(?=[0-9])"), "－"),
    "half": (re.compile("(?<=[０-９])－(?=[０-９])"), "-"),
}


def digits_as(s: str, width: str) -> str:
    """The digits of `s` in one width: "full" (０９０－１２３４) or "half" (090-1234).

    Only the digits 0-9 change (and the hyphen between two of them); letters, kana, kanji
    numerals, Latin text and variation selectors never do, so an IVS sequence stays byte
    for byte.
    """
    if width not in _RUNS:
        raise ValueError(f"digits は {'・'.join(DIGIT_WIDTHS)} のどちらかです（{width!r}）")
    table = _TO_FULL if width == "full" else _TO_HALF
    joiner, hyphen = _JOINERS[width]

    def run(m: re.Match) -> str:
        text = m.group()
        if _LETTER[width].search(text):
            return text
        return joiner.sub(hyphen, text).translate(table)

    return _RUNS[width].sub(run, s)


def halfwidth_input(s: str) -> str:
    """What an IME typed into a zip code, phone number, date or number field, as ASCII:
    ０９０－００２４ → 090-0024, ０１５７－２３－４５６７ → 0157-23-4567.

    For number-like fields only: names and free text are never passed through it (IVS and
    the resident's own spelling are kept; japanese-text.md).
    """
    return s.translate(HALFWIDTH_INPUT).strip()


def to_kanji_numeral(n: int) -> str:
    """Positional kanji numerals as 丁目 are printed: 1→一, 10→十, 12→十二, 23→二十三.

    Covers 0 to 9999 (丁目 and 条 need far less); 0 is 〇.
    """
    if not isinstance(n, int) or n < 0 or n > 9999:
        raise ValueError(f"漢数字にできない数です: {n!r}")
    if n == 0:
        return "〇"
    out = []
    for unit, mark in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, unit)
        if q:
            # 十, 百, 千 are written without a leading 一 (十二, not 一十二).
            out.append(("" if q == 1 else _KANJI_DIGITS[q]) + mark)
    if n:
        out.append(_KANJI_DIGITS[n])
    return "".join(out)


def _extends(ch: str) -> bool:
    # Marks (variation selectors and U+3099/U+309A are Mn) join the previous character;
    # half-width ﾞ ﾟ are Other_Grapheme_Extend in Unicode, so ｶﾞ is one character too.
    return ch in "\uff9e\uff9f" or unicodedata.category(ch) in ("Mn", "Me", "Mc")


def grapheme_len(s: str) -> int:
    """Length in user-perceived characters, as limits on names are counted.

    A base plus its variation selector (葛󠄀) or combining mark counts one; a non-BMP
    character (𠮷) counts one. Mark-free text is counted without a per-character loop.
    """
    if s.isascii():
        return len(s)
    n = 0
    for i, ch in enumerate(s):
        if i == 0 or not _extends(ch):
            n += 1
    return n


# What no database column takes: PostgreSQL refuses NUL in text (and in jsonb), and a lone
# surrogate (half of a UTF-16 pair, which JSON's "\ud800" escape can carry) is not UTF-8.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(s: str) -> str | None:
    """How to name the first character of `s` that cannot be stored ("NUL", "U+D800"), or None."""
    m = _UNSTORABLE.search(s)
    if m is None:
        return None
    return "NUL" if m.group() == "\x00" else f"U+{ord(m.group()):04X}"
