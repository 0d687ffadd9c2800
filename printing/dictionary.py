"""The data dictionary: every value a form can print, by one canonical id, and how it is written.

A form template binds each of its boxes to a field id here, so one answer given at the
counter fills every form that asks for it. Ids read as `<whose>.<what>`:

    visit.*      the visit (number, dates, phone, events)
    address.*    the new address (parts, full line, 〒); old_address.* the old one
    household.*  the household: head's name, and every household-scope interview fact
    applicant.*  the 届出人 / 申請者; subject.* the person the procedure is for;
    person.*     one row of a multi-person table. Each takes the person fields below and
                 every person-scope interview fact of the pack (facts.yaml) by its id.
    proc.*       the procedure: title, reason, deadline, what to bring

How a value is written is the field's `kind` and the box's options (see `Format`):
dates in 和暦 (元年 as the municipality's setting) or 西暦 for foreign residents,
full-width digits, katakana or hiragana, a tick in a checkbox for yes/no and choices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from lib.kana import to_hiragana, to_katakana
from lib.text import to_fullwidth_digits

from .data import SEX_LABELS, PacketData, PersonData, Procedure
from .wording import address_line, full_address, katagaki, seireki, wareki, zip_code

PERSON_ROLES = ("applicant", "subject", "person")
TEXT_KINDS = ("text", "name", "kana", "date", "digits", "address")


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    kind: str  # text | name | kana | date | digits | address | bool | choice | list
    get: Callable[[Ctx], object] = field(repr=False, compare=False)
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) for kind "choice"
    group: str = ""  # how the designer lists it
    # A number an office assigns (国保記号番号, 基礎年金番号…): when the register does not know
    # it, it is not yet assigned or is the office's to look up, never a box the resident owes.
    assigned: bool = False


@dataclass
class Ctx:
    """What a box is filled from: the packet, the procedure, and the person in question."""

    data: PacketData
    proc: Procedure | None = None
    person: PersonData | None = None


@dataclass(frozen=True)
class Format:
    """A box's rendering options (template keys of the same names)."""

    date: str = "auto"  # auto (西暦 for foreign residents) | wareki | seireki
    digits: str = "full"  # full | half
    kana: str = "katakana"  # katakana | hiragana


# ---- what a field reads


def _p(attr: str):
    return lambda c: getattr(c.person, attr) if c.person else None


def _addr(which: str, fn):
    return lambda c: fn(getattr(c.data, which) or {})


def _applicant_address(c: Ctx) -> dict:
    return (c.data.old_address if c.data.leaving else c.data.new_address) or {}


def _card(c: Ctx):
    return c.person.has_mynumber_card if c.person else None


def _card_change(c: Ctx):
    """記載事項変更: a card holder whose address changes here has the card's back rewritten."""
    card = _card(c)
    return None if card is None else (card and c.data.move in ("in", "within"))


def _mynumber(c: Ctx):
    """The 個人番号 read from the person's card, only on a form of that person's own procedure
    (its person, or one of the people a household form is for): never on another's form, where
    the person only appears (a parent on a child's 医療費助成, the 世帯主 who files for others)."""
    p, proc = c.person, c.proc
    if p is None or not p.mynumber or proc is None:
        return None
    return p.mynumber if p.key == proc.person or p.key in proc.people else None


def _number(key: str):
    return lambda c: (c.person.numbers.get(key) or None) if c.person else None


def _person_fact(fid: str):
    return lambda c: c.person.facts.get(fid) if c.person else None


def _household_fact(fid: str):
    return lambda c: c.data.household_facts.get(fid)


_PERSON: list[tuple[str, str, str, Callable]] = [
    ("name", "氏名", "name", _p("name")),
    ("kana", "フリガナ", "kana", _p("name_kana")),
    ("birth_date", "生年月日", "date", _p("birth_date")),
    ("sex", "性別", "text", lambda c: SEX_LABELS.get(c.person.sex, "") if c.person else None),
    ("relation", "続柄", "text", _p("relation")),
    ("nationality", "国籍・地域", "text",
     lambda c: ("日本" if not c.person.is_foreign else c.person.nationality) if c.person else None),
    ("residence_status", "在留資格", "text", _p("residence_status")),
    ("residence_expiry", "在留期間満了日", "date", _p("residence_expiry")),
    ("residence_card_no", "在留カード番号", "text", _p("residence_card_no")),
    ("mynumber_card", "個人番号カード", "bool", _card),
    ("mynumber_card_change", "個人番号カード 記載事項変更", "bool", _card_change),
    ("kokuho_no", "国民健康保険 記号番号", "digits", _number("kokuho")),
    ("koki_no", "後期高齢者医療 被保険者番号", "digits", _number("koki")),
    ("kaigo_no", "介護保険 被保険者番号", "digits", _number("kaigo")),
    ("kiso_nenkin_no", "基礎年金番号", "digits", _number("kiso_nenkin")),
    ("mynumber", "個人番号", "digits", _mynumber),
]  # fmt: skip

# Numbers the counter may not know: an empty box is the office's to fill, not the resident's
# (the 個人番号 too: read from the card where a procedure needs it, else the clerk writes it).
ASSIGNED_NUMBERS = frozenset({"kokuho_no", "koki_no", "kaigo_no", "kiso_nenkin_no", "mynumber"})
# The cells that print the 個人番号: a visit whose forms have none never reads it from a card.
MYNUMBER_FIELDS = frozenset(f"{role}.mynumber" for role in PERSON_ROLES)

_VISIT: list[tuple[str, str, str, Callable]] = [
    ("visit.number", "受付番号", "text", lambda c: c.data.visit_number),
    ("visit.municipality", "市区町村名", "text", lambda c: c.data.municipality),
    ("visit.issued_on", "届出日・申請日", "date", lambda c: c.data.issued_on),
    ("visit.event_date", "異動日", "date", lambda c: c.data.event_date),
    ("visit.events", "届出の内容", "text", lambda c: "・".join(c.data.event_names)),
    ("visit.phone", "電話番号", "digits", lambda c: c.data.phone),
    ("household.head", "世帯主", "name", lambda c: c.data.household_head_name),
    ("household.old_head", "旧世帯主", "name", lambda c: c.data.old_household_head_name),
    ("household.movers", "異動する人数", "digits",
     lambda c: f"{len(c.data.movers)}人" if c.data.movers else None),
    ("applicant.address", "申請者の住所", "address", lambda c: full_address(_applicant_address(c))),
    ("applicant.zip", "申請者の郵便番号", "text", lambda c: zip_code(_applicant_address(c))),
    ("proc.title", "手続き", "text", lambda c: c.proc.title if c.proc else None),
    ("proc.reason", "申請の理由", "text", lambda c: c.proc.reason if c.proc else None),
    ("proc.deadline", "提出期限", "date", lambda c: c.proc.deadline if c.proc else None),
    ("proc.bring", "添付書類等", "list", lambda c: list(c.proc.bring) if c.proc else None),
    ("proc.department", "提出先", "text",
     lambda c: (c.proc.department_name + (f"（{c.proc.location}）" if c.proc.location else ""))
     if c.proc else None),
]  # fmt: skip

_ADDRESS_PARTS = [
    ("zip", "郵便番号", "text", zip_code),
    ("full", "住所（方書まで）", "address", full_address),
    ("line", "住所（方書を除く）", "address", address_line),
    ("katagaki", "方書", "address", katagaki),
    ("pref", "都道府県", "text", lambda a: a.get("pref", "")),
    ("city", "市区町村", "text", lambda a: a.get("city", "")),
    ("town", "町字", "text", lambda a: a.get("town", "")),
    ("banchi", "番地", "digits", lambda a: a.get("banchi", "")),
    ("country", "国名・地域（国外）", "text", lambda a: a.get("country", "")),
]


def _fact_fields(scope: str, prefix: str) -> list[Field]:
    """Every interview fact of the pack, so a form can bind to any answer by its id."""
    try:
        from catalog.pack import default_pack

        facts = default_pack().facts
    except Exception:  # noqa: BLE001 — the renderer must also run without a pack
        return []
    out = []
    for f in facts.values():
        if f.scope != scope or f.id in {k for k, *_ in _PERSON}:
            continue
        kind = {"bool": "bool", "enum": "choice", "date": "date", "int": "digits",
                "set": "list"}.get(f.type, "text")  # fmt: skip
        get = _person_fact(f.id) if scope == "person" else _household_fact(f.id)
        if f.type == "set":
            get = _set_labels(get, dict(f.choices))
        out.append(Field(f"{prefix}.{f.id}", f.label, kind, get,
                         tuple((str(k), v) for k, v in f.choices.items()), group="聞き取り"))  # fmt: skip
    return out


def _set_labels(get, labels: dict):
    return lambda c: [labels.get(v, v) for v in sorted(get(c) or [])] or None


@cache
def fields() -> dict[str, Field]:
    """The whole dictionary, by id (loaded once; the pack's facts are part of it)."""
    out: dict[str, Field] = {}
    for role in PERSON_ROLES:
        group = {"applicant": "申請者", "subject": "対象者", "person": "表の各行"}[role]
        for key, label, kind, get in _PERSON:
            out[f"{role}.{key}"] = Field(f"{role}.{key}", label, kind, get, group=group,
                                         assigned=key in ASSIGNED_NUMBERS)  # fmt: skip
        for f in _fact_fields("person", role):
            out[f.id] = f
    for fid, label, kind, get in _VISIT:
        out[fid] = Field(fid, label, kind, get, group="来庁")
    for which, prefix, name in (("new_address", "address", "新住所"),
                                ("old_address", "old_address", "旧住所")):  # fmt: skip
        for key, label, kind, fn in _ADDRESS_PARTS:
            fid = f"{prefix}.{key}"
            out[fid] = Field(fid, f"{name}：{label}", kind, _addr(which, fn), group=name)
    for f in _fact_fields("household", "household"):
        out[f.id] = f
    return out


class UnknownField(KeyError):
    pass


def get_field(fid: str) -> Field:
    try:
        return fields()[fid]
    except KeyError:
        raise UnknownField(f"データ項目「{fid}」はデータ辞書にありません") from None


def context_for(fid: str, base: Ctx) -> Ctx:
    """The same context with `person` set to whom a person field of `fid` speaks about."""
    role = fid.split(".", 1)[0]
    if role == "applicant":
        return Ctx(base.data, base.proc, base.data.applicant)
    if role == "subject":
        return Ctx(base.data, base.proc, base.data.person(base.proc.person) if base.proc else None)
    return base


def value(fid: str, base: Ctx):
    """The raw value (str, date, bool, list, enum value) or None when nothing is known."""
    f = get_field(fid)
    v = f.get(context_for(fid, base))
    return None if v in ("", [], {}) else v


def render(fid: str, base: Ctx, fmt: Format = Format()) -> str:
    """The value as a form writes it (empty when unknown); bool and choice boxes use `ticked`."""
    f = get_field(fid)
    ctx = context_for(fid, base)
    v = f.get(ctx)
    if v is None or v == "":
        return ""
    if isinstance(v, date):
        return format_date(v, ctx.person, fmt, ctx.data.gannen)
    if f.kind == "bool":
        return "有" if v else "無"
    if f.kind == "choice":
        return dict(f.choices).get(str(v), str(v))
    if isinstance(v, list):
        return "、".join(str(x) for x in v)
    s = str(v)
    if f.kind == "kana":
        return to_hiragana(s) if fmt.kana == "hiragana" else to_katakana(s)
    if f.kind in ("digits", "address") and fmt.digits == "full":
        return to_fullwidth_digits(s)
    return s


def note_mynumber(fid: str | None, base: Ctx, fill) -> None:
    """Mark `fill` (a printing.data.Fill) when this box prints a 個人番号: the packet's audit
    entry says on which forms one was printed (never the digits)."""
    if fill is not None and fid in MYNUMBER_FIELDS and value(fid, base):
        fill.mynumber = True


def counted(fid: str, rendered: str) -> bool:
    """Whether a text box counts on the slip (filled, or left to write): an office's number
    not yet known is neither (see Field.assigned)."""
    return bool(rendered) or not get_field(fid).assigned


def format_date(d: date, person: PersonData | None, fmt: Format, gannen: bool = True) -> str:
    full = fmt.digits == "full"
    foreign = person is not None and person.is_foreign
    if fmt.date == "seireki" or (fmt.date == "auto" and foreign):
        return seireki(d, full=full)
    return wareki(d, full=full, gannen=gannen)


def ticked(fid: str, base: Ctx, choice: str | None = None) -> bool | None:
    """Whether a checkbox is ticked: a bool field, or one choice of a choice field."""
    v = value(fid, base)
    if v is None:
        return None
    if choice is None:
        return bool(v)
    if isinstance(v, bool):
        return v == (choice in ("true", "yes", "有", "はい"))
    if isinstance(v, (list, tuple, set, frozenset)):
        return choice in {str(x) for x in v}
    return str(v) == str(choice)


def choices_of(fid: str) -> list[tuple[str, str]]:
    f = get_field(fid)
    if f.kind == "bool":
        return [("true", "有"), ("false", "無")]
    return list(f.choices)
