"""Kana conversions for storing 振り仮名, built as str.translate tables once at import.

Written by hand rather than with a general normaliser (NFKC and friends), which folds more
than a stored reading may lose; some even turn 〜 into ー (japanese-text.md).
"""

import re

# Half-width katakana block U+FF61–U+FF9F in code point order, and what each one widens to.
# ﾞ and ﾟ widen to the combining marks so that a preceding base can absorb them.
_HALF = "｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟ"
_FULL = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノ" + (
    "ハヒフヘホマミムメモヤユヨラリルレロワン\u3099\u309a"
)
assert len(_HALF) == len(_FULL) == 0xFF9F - 0xFF61 + 1

HALFWIDTH_TO_FULLWIDTH = {ord(h): f for h, f in zip(_HALF, _FULL, strict=True)}

# ぁ..ゖ sit exactly 0x60 below ァ..ヶ; ゝゞ map to ヽヾ.
HIRAGANA_TO_KATAKANA = {c: c + 0x60 for c in range(0x3041, 0x3097)} | {
    0x309D: 0x30FD,
    0x309E: 0x30FE,
}
KATAKANA_TO_HIRAGANA = {v: k for k, v in HIRAGANA_TO_KATAKANA.items()}

DAKUTEN = "\u3099"  # combining voiced sound mark
HANDAKUTEN = "\u309a"  # combining semi-voiced sound mark
SPACING_DAKUTEN = "゛"
SPACING_HANDAKUTEN = "゜"

_VOICED = dict(
    zip(
        "カキクケコサシスセソタチツテトハヒフヘホウワヰヱヲヽ",
        "ガギグゲゴザジズゼゾダヂヅデドバビブベボヴヷヸヹヺヾ",
        strict=True,
    )
)
_SEMI_VOICED = dict(zip("ハヒフヘホ", "パピプペポ", strict=True))

# Base + mark (combining or spacing) → the precomposed katakana.
COMPOSE = {b + m: v for b, v in _VOICED.items() for m in (DAKUTEN, SPACING_DAKUTEN)} | {
    b + m: v for b, v in _SEMI_VOICED.items() for m in (HANDAKUTEN, SPACING_HANDAKUTEN)
}
_COMPOSE_RE = re.compile("[" + "".join(_VOICED) + "][\u3099-\u309c]")
_LONE_MARK = {ord(DAKUTEN): SPACING_DAKUTEN, ord(HANDAKUTEN): SPACING_HANDAKUTEN}
_MARKS = (DAKUTEN, HANDAKUTEN, SPACING_DAKUTEN, SPACING_HANDAKUTEN)


def _compose_pair(m: re.Match) -> str:
    return COMPOSE.get(m.group(), m.group())


def compose_voiced(s: str) -> str:
    """Join a katakana and a following voiced mark (カ+゛, ｶﾞ after widening) into one."""
    if any(mark in s for mark in _MARKS):
        return _COMPOSE_RE.sub(_compose_pair, s)
    return s


_TO_KATAKANA = HIRAGANA_TO_KATAKANA | HALFWIDTH_TO_FULLWIDTH
_SPACES_RE = re.compile("[ \u3000\t]+")
_KANA_RE = re.compile(
    "[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fb\u30fc\u30fd\u30fe"
    "\uff65-\uff9f\u3099-\u309c \u3000]+"
)


def to_katakana(s: str) -> str:
    """A 振り仮名 as stored: katakana, full-width, one U+3000 between words, ends trimmed.

    Small kana stay small (キョウコ) and 〜 ー are untouched; only the search key folds more.
    """
    s = compose_voiced(s.translate(_TO_KATAKANA))
    if DAKUTEN in s or HANDAKUTEN in s:
        # A ﾞ that found no base is shown as the spacing ゛ rather than a stray mark.
        s = s.translate(_LONE_MARK)
    return _SPACES_RE.sub("\u3000", s).strip(" \u3000\t")


def to_hiragana(s: str) -> str:
    """The same as to_katakana, in hiragana (ヴ becomes ゔ; ヷ–ヺ have no hiragana and stay)."""
    return to_katakana(s).translate(KATAKANA_TO_HIRAGANA)


def is_kana(s: str) -> bool:
    """Kana only (hiragana, katakana, half-width kana, ー, ・, spaces), and at least one kana."""
    return bool(_KANA_RE.fullmatch(s)) and not s.isspace() and s.strip(" \u3000・･") != ""
