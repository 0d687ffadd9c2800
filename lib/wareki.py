"""和暦 (Japanese era) dates: parsing what staff type, and formatting for forms and screens."""

import re
from datetime import date, timedelta
from typing import NamedTuple

from lib.text import HALFWIDTH_INPUT


class Era(NamedTuple):
    name: str
    letter: str
    symbol: str
    start: date


# A new era is one more row; everything below reads this table.
ERAS: list[Era] = [
    Era("明治", "M", "㍾", date(1868, 1, 25)),  # JIS X 0301 convention
    Era("大正", "T", "㍽", date(1912, 7, 30)),
    Era("昭和", "S", "㍼", date(1926, 12, 25)),
    Era("平成", "H", "㍻", date(1989, 1, 8)),
    Era("令和", "R", "㋿", date(2019, 5, 1)),
]
# When an era began on the day the emperor died, that day belongs to both eras
# (明治45年7月30日 = 大正元年7月30日). An era after an abdication needs no entry here.
SHARED_FIRST_DAYS = frozenset({date(1912, 7, 30), date(1926, 12, 25)})


class DateParseError(ValueError):
    """A date that cannot be read or does not exist; str() is the message for staff."""


def _end(i: int) -> date | None:
    """The last day of era i (None while it lasts)."""
    if i + 1 == len(ERAS):
        return None
    nxt = ERAS[i + 1].start
    return nxt if nxt in SHARED_FIRST_DAYS else nxt - timedelta(days=1)


# 令和, 令, R and ㋿ all name the same era.
_BY_WRITING: dict[str, int] = {
    w: i for i, e in enumerate(ERAS) for w in (e.name, e.name[0], e.letter, e.symbol)
}


def _era_index(era: str) -> int:
    try:
        return _BY_WRITING[era.upper()]
    except KeyError:
        raise ValueError(f"元号が分かりません: {era}") from None


# What staff type: full-width digits and letters, IME hyphens and dots, lower-case letters.
# "." typed in Japanese input mode arrives as 。
_INPUT = HALFWIDTH_INPUT | {ord("。"): "."}

_SEP = r"\s*(?:[./\-]|年)\s*"
_SEP_MD = r"\s*(?:[./\-]|月)\s*"
_ERA_WRITINGS = "|".join(sorted((re.escape(w) for w in _BY_WRITING), key=len, reverse=True))
_ERA_DATE = re.compile(
    rf"(?P<era>{_ERA_WRITINGS})\s*(?P<y>\d{{1,2}}|元){_SEP}(?P<m>\d{{1,2}}){_SEP_MD}"
    r"(?P<d>\d{1,2})\s*日?"
)
_ERA_COMPACT = re.compile(rf"(?P<era>{_ERA_WRITINGS})(?P<y>\d\d)(?P<m>\d\d)(?P<d>\d\d)")
_SEIREKI = re.compile(
    rf"(?:西暦)?\s*(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}}){_SEP_MD}(?P<d>\d{{1,2}})\s*日?"
)
_SEIREKI_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d\d)(?P<d>\d\d)")


def _nen(y: int) -> str:
    return "元" if y == 1 else str(y)


def _make_date(year: int, m: int, d: int, written_year: str) -> date:
    if not 1 <= m <= 12:
        raise DateParseError(f"{m}月は存在しません")
    try:
        return date(year, m, d)
    except ValueError:
        if m == 2 and d == 29:
            raise DateParseError(f"{written_year}は閏年でないため2月29日は存在しません") from None
        raise DateParseError(f"{m}月{d}日は存在しない日付です") from None


def _era_date(i: int, y: int, m: int, d: int) -> date:
    era = ERAS[i]
    if y == 0:
        raise DateParseError(f"{era.name}0年は存在しません（最初の年は元年です）")
    end = _end(i)
    if end is not None:
        last_year = end.year - era.start.year + 1
        if y > last_year:
            raise DateParseError(
                f"{era.name}{y}年は存在しません"
                f"（{era.name}は{last_year}年{end.month}月{end.day}日まで）"
            )
    result = _make_date(era.start.year + y - 1, m, d, f"{era.name}{_nen(y)}年")
    if end is not None and result > end:
        nxt = ERAS[i + 1]
        raise DateParseError(
            f"{era.name}{y}年は{end.month}月{end.day}日までです"
            f"（{nxt.start.month}月{nxt.start.day}日からは{nxt.name}）"
        )
    if result < era.start:
        before = f"（{m}月{d}日は{ERAS[i - 1].name}）" if i > 0 else ""
        raise DateParseError(
            f"{era.name}元年は{era.start.month}月{era.start.day}日からです{before}"
        )
    return result


def parse_date_with_era(text: str) -> tuple[date, str | None]:
    """Read a typed date; also return the era as written (None for 西暦).

    Boundary days (1912-07-30, 1926-12-25) belong to two eras; the caller keeps the
    written era to print the date back the way it was given (resident-record.md).
    """
    if text is None or not str(text).strip():
        raise DateParseError("日付が入力されていません")
    s = str(text).translate(_INPUT).strip().upper()
    if m := _ERA_DATE.fullmatch(s) or _ERA_COMPACT.fullmatch(s):
        i = _era_index(m["era"])
        y = 1 if m["y"] == "元" else int(m["y"])
        return _era_date(i, y, int(m["m"]), int(m["d"])), ERAS[i].name
    if m := _SEIREKI.fullmatch(s) or _SEIREKI_COMPACT.fullmatch(s):
        y = int(m["y"])
        if y == 0:
            raise DateParseError("0年は存在しません")
        return _make_date(y, int(m["m"]), int(m["d"]), f"{y}年"), None
    raise DateParseError(f"日付として読めません: {str(text).strip()}")


def parse_date(text: str) -> date:
    """Read 「R8.4.1」, 「令和8年4月1日」, 「S55/3/2」, 「1980-03-02」, 「19800302」 and the like."""
    return parse_date_with_era(text)[0]


def _era_of(d: date) -> int:
    if d < ERAS[0].start:
        raise ValueError(f"{d.isoformat()}は明治より前のため和暦にできません")
    # The later era wins on a boundary day unless the caller names the written one.
    for i in range(len(ERAS) - 1, -1, -1):
        if d >= ERAS[i].start:
            return i
    raise AssertionError("unreachable")


def _resolve(d: date, era: str | None) -> int:
    if era is None:
        return _era_of(d)
    i = _era_index(era)
    end = _end(i)
    if d < ERAS[i].start or (end is not None and d > end):
        raise ValueError(f"{d.isoformat()}は{ERAS[i].name}の日付ではありません")
    return i


def wareki_parts(d: date, era: str | None = None) -> tuple[str, int, int, int]:
    """(era name, year, month, day); `era` picks the written era on a boundary day."""
    i = _resolve(d, era)
    return ERAS[i].name, d.year - ERAS[i].start.year + 1, d.month, d.day


def to_wareki(
    d: date, *, gannen: bool = True, era: str | None = None, zero_pad: bool = False
) -> str:
    """「令和8年4月10日」; the first year is 元年 unless gannen=False (a municipal setting)."""
    name, y, m, day = wareki_parts(d, era)
    fmt = "{:02d}" if zero_pad else "{}"
    year = "元" if (y == 1 and gannen) else fmt.format(y)
    return f"{name}{year}年{fmt.format(m)}月{fmt.format(day)}日"


def to_wareki_short(d: date, *, era: str | None = None) -> str:
    """「R8.4.10」 for dense screens."""
    name, y, m, day = wareki_parts(d, era)
    return f"{ERAS[_era_index(name)].letter}{y}.{m}.{day}"


def to_seireki(d: date) -> str:
    """「2026年4月10日」: foreign residents' dates are printed in 西暦."""
    return f"{d.year}年{d.month}月{d.day}日"
