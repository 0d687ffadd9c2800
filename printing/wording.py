"""How values are written on forms: 和暦/西暦 dates, addresses, labels."""

from __future__ import annotations

from datetime import date

from lib.text import to_fullwidth_digits
from lib.wareki import to_seireki, to_wareki

from .data import SEX_LABELS, PersonData

# Departments in the order the guidance slip and the packet list them (life-events.md §3).
DEPARTMENT_ORDER = [
    "shimin", "hoken_nenkin", "kaigo", "kodomo", "boshi", "shogai", "zeimu", "kyoiku",
    "kankyo", "suido", "dobutsu", "jutaku", "nogyo", "reien", "external",
]  # fmt: skip


def wareki(d: date | None, *, full: bool = False, gannen: bool = True) -> str:
    """「令和8年4月10日」; full=True gives form style 「令和８年４月１０日」."""
    if d is None:
        return ""
    s = to_wareki(d, gannen=gannen)
    return to_fullwidth_digits(s) if full else s


def seireki(d: date | None, *, full: bool = False) -> str:
    if d is None:
        return ""
    s = to_seireki(d)
    return to_fullwidth_digits(s) if full else s


def person_date(p: PersonData, d: date | None, *, full: bool = True) -> str:
    """A person's own dates: 和暦 for Japanese residents, 西暦 for foreign residents."""
    return seireki(d, full=full) if p.is_foreign else wareki(d, full=full)


def sex_label(p: PersonData) -> str:
    return SEX_LABELS.get(p.sex, "")


def zip_code(addr: dict) -> str:
    z = (addr or {}).get("zip", "") or ""
    digits = z.replace("-", "")
    if len(digits) == 7:
        z = f"{digits[:3]}-{digits[3:]}"
    return f"〒{to_fullwidth_digits(z)}" if z else ""


def address_line(addr: dict, *, full: bool = True) -> str:
    """都道府県市区町村町字番地, without 方書; an address abroad is its country and text."""
    addr = addr or {}
    if "country" in addr:
        return "　".join(s for s in (addr.get("country", ""), addr.get("text", "")) if s)
    s = "".join(addr.get(k, "") or "" for k in ("pref", "city", "town", "banchi"))
    return to_fullwidth_digits(s) if full else s


def katagaki(addr: dict, *, full: bool = True) -> str:
    s = (addr or {}).get("katagaki", "") or ""
    return to_fullwidth_digits(s) if full else s


def full_address(addr: dict, *, full: bool = True) -> str:
    return "　".join(s for s in (address_line(addr, full=full), katagaki(addr, full=full)) if s)


def department_rank(dept: str) -> int:
    return DEPARTMENT_ORDER.index(dept) if dept in DEPARTMENT_ORDER else len(DEPARTMENT_ORDER)
