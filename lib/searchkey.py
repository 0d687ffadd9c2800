"""Search keys for names, readings and addresses: str.translate tables built once at import (the demo runs these millions of times).

Stored text is never changed; only these keys fold characters (japanese-text.md).
"""

import re
import unicodedata

from lib.kana import HALFWIDTH_TO_FULLWIDTH, HIRAGANA_TO_KATAKANA, compose_voiced
from lib.text import VARIATION_SELECTORS

# 異体字 → the representative form the keys use. Keep targets out of the sources, so
# that applying the table twice changes nothing (keys must be idempotent).
VARIANTS = {
    "髙": "高",
    "﨑": "崎",  # U+FA11 is a unified ideograph: it has no decomposition to fall back on
    "嵜": "崎",
    "𠮷": "吉",
    "邊": "辺",
    "邉": "辺",
    "澤": "沢",
    "濱": "浜",
    "濵": "浜",
    "齋": "斉",
    "齊": "斉",
    "斎": "斉",
    "國": "国",
    "櫻": "桜",
    "廣": "広",
    "德": "徳",
    "眞": "真",
    "龍": "竜",
    "栁": "柳",
    "冨": "富",
    "髮": "髪",
    "嶋": "島",
    "嶌": "島",
    "峯": "峰",
    "桒": "桑",
    "槇": "槙",
    "條": "条",
    "瀨": "瀬",
    "淵": "渕",
    "舘": "館",
    "藏": "蔵",
    "惠": "恵",
    "榮": "栄",
    "實": "実",
    "壽": "寿",
    "黑": "黒",
    "圓": "円",
    "傳": "伝",
    "豐": "豊",
    "禮": "礼",
    "穗": "穂",
    "靜": "静",
    "縣": "県",
    "會": "会",
    "萬": "万",
    "兒": "児",
    "莊": "荘",
    "與": "与",
    "澁": "渋",
}
assert not set(VARIANTS) & set(VARIANTS.values())


def _compatibility_ideographs() -> dict[str, str]:
    # Only these code points are rewritten, one by one: NFC on the whole key would also
    # recompose things the key should leave alone, and is the wrong tool for names.
    out = {}
    for start, end in ((0xF900, 0xFB00), (0x2F800, 0x2FA20)):
        for cp in range(start, end):
            dec = unicodedata.decomposition(chr(cp))
            if dec and not dec.startswith("<"):
                out[chr(cp)] = chr(int(dec, 16))
    return out


def _ideograph_table() -> dict[int, str]:
    table = {}
    for src, dst in _compatibility_ideographs().items():
        table[ord(src)] = VARIANTS.get(dst, dst)
    for src, dst in VARIANTS.items():
        table[ord(src)] = dst
    return table


_IDEOGRAPHS = _ideograph_table()


def _families() -> dict[str, tuple[str, ...]]:
    rep_members: dict[str, set[str]] = {}
    for src, dst in _IDEOGRAPHS.items():
        rep_members.setdefault(dst, {dst}).add(chr(src))
    return {m: tuple(sorted(ms)) for ms in rep_members.values() for m in ms}


_FAMILIES = _families()


def variant_family(ch: str) -> tuple[str, ...]:
    """The characters the keys treat as one (髙 → 高, 髙), for pickers; (ch,) when alone."""
    return _FAMILIES.get(ch, (ch,))


_STRIP_VS = {ord(c): None for c in VARIATION_SELECTORS}
_FULLWIDTH_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_SPACES = {ord(" "): None, 0x3000: None, ord("\t"): None}

# Small kana read as large in keys (キョウコ finds キヨウコ typed without small letters).
_SMALL = dict(
    zip(
        "ァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ",
        "アイウエオツヤユヨワカケクシストヌハヒフヘホムラリルレロ",
        strict=True,
    )
)


def _kana_fold_table() -> dict[int, str | None]:
    # Compose every step (hiragana, half-width, small) into one lookup per character.
    table: dict[int, str | None] = {}
    for src, dst in HIRAGANA_TO_KATAKANA.items():
        table[src] = chr(dst)
    for src, dst in HALFWIDTH_TO_FULLWIDTH.items():
        table[src] = dst
    for src in list(table):
        table[src] = _SMALL.get(table[src], table[src])
    for src, dst in _SMALL.items():
        table[ord(src)] = dst
    # Spacing ゛ ゜ behave as the combining ones so ｶﾞ, カ゛ and ガ share a key.
    table[ord("゛")] = "\u3099"
    table[ord("゜")] = "\u309a"
    return table


# ・ and ＝ separate the parts of a foreign name in katakana; a query may omit them.
_SEPARATORS = {ord(c): None for c in "・･=＝"}
_KANA_TABLE = _kana_fold_table() | _FULLWIDTH_ASCII | _SPACES | _SEPARATORS
_NAME_TABLE = _KANA_TABLE | _STRIP_VS | _IDEOGRAPHS


def kana_key(s: str) -> str:
    """Reading key: katakana, full-width, small kana as large, no spaces or ・; ー kept.

    Latin (foreign residents' names) is upper-cased with spaces dropped.
    """
    return compose_voiced(s.translate(_KANA_TABLE)).upper()


def name_key(s: str) -> str:
    """Name key: selectors stripped, width and kana folded, 異体字 to one form, no spaces."""
    return compose_voiced(s.translate(_NAME_TABLE)).upper()


# 濁点・半濁点 dropped: ガ→カ, パ→ハ, ヴ→ウ. Readings are often heard or copied without them
# (ヤマサキ for ヤマザキ); the counter search matches on this key too and ranks exact first.
_SEION = {
    ord(voiced): plain
    for plain, voiced in zip(
        "カキクケコサシスセソタチツテトハヒフヘホハヒフヘホウワヰヱヲ",
        "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴヷヸヹヺ",
        strict=True,
    )
} | {ord("\u3099"): None, ord("\u309a"): None}


def seion_key(key: str) -> str:
    """A kana_key with the voicing marks dropped (applied to a key, never to stored text)."""
    return key.translate(_SEION)


# Addresses fold width and ideographs but not kana: さくら台 and サクラ台 are different places.
_HYPHENS = {ord(c): "-" for c in "‐‑‒–—―−⁃﹣－"}
_ADDRESS_TABLE = (
    _FULLWIDTH_ASCII
    | _SPACES
    | _STRIP_VS
    | _IDEOGRAPHS
    | HALFWIDTH_TO_FULLWIDTH
    | _HYPHENS
    | {ord("ヶ"): "ケ", ord("ヵ"): "カ"}
)
_KANJI_VALUES = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KANJI_NUM_BEFORE_UNIT = re.compile("([〇一二三四五六七八九十百]+)(?=丁目|条)")
_CHOUME = re.compile(r"(?<=\d)(?:丁目|丁(?=\d))")
_BANCHI_THEN_NUMBER = re.compile(r"(?<=\d)(?:番地|番|号)の?-?(?=\d)")
# A closing 番地/番/号 is dropped, but 号室, 号棟, 番町 and the like are names and stay.
_BANCHI_CLOSING = re.compile(r"(?<=\d)(?:番地|番(?![町丁館])|号(?![室棟館線地]))")
_NO_BETWEEN_DIGITS = re.compile(r"(?<=\d)の(?=\d)")
# ー is a hyphen only next to digits; after katakana (コーポ) it is the long vowel.
_CHOON_AS_HYPHEN = re.compile(r"(?<=\d)ー|(?<![\u3041-\u30ff])ー(?=\d)")
_DASH_RUN = re.compile("-{2,}")


def _kanji_to_int(k: str) -> int:
    total, digit = 0, 0
    for ch in k:
        if ch == "百":
            total += (digit or 1) * 100
            digit = 0
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = digit * 10 + _KANJI_VALUES[ch]
    return total + digit


def address_key(s: str) -> str:
    """Address key: 「三丁目12番地の4」, 「3-12-4」 and 「３－１２－４」 all become 3-12-4.

    Width, hyphen-likes, 異体字 and spaces are folded; 丁目/番地/番/号 between numbers
    become "-", kanji numerals before 丁目 and 条 become digits (北四条東 → 北4条東).
    """
    s = compose_voiced(s.translate(_ADDRESS_TABLE)).upper()
    if "ー" in s:
        s = _CHOON_AS_HYPHEN.sub("-", s)
    if "丁" in s or "条" in s:
        s = _KANJI_NUM_BEFORE_UNIT.sub(lambda m: str(_kanji_to_int(m.group(1))), s)
        s = _CHOUME.sub("-", s)
    if "番" in s or "号" in s:
        s = _BANCHI_THEN_NUMBER.sub("-", s)
        s = _BANCHI_CLOSING.sub("", s)
    if "の" in s:
        s = _NO_BETWEEN_DIGITS.sub("-", s)
    if "--" in s:
        s = _DASH_RUN.sub("-", s)
    return s
