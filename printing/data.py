"""What a packet prints: plain data built by the web counter and by `madoguchi packet`.

Nothing here imports the catalog or the database; the callers adapt their objects to
these dataclasses, so the renderer can be used (and tested) on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from lib.age import is_child18

SEX_LABELS = {"1": "男", "2": "女", "9": "適用不能", "0": "不明"}
# What the 住民異動届 calls each move (PacketData.move, from the pack's events.yaml `move`).
MOVE_LABELS = {"in": "転入", "within": "転居", "out": "転出"}
# The 住民異動届 stands for these procedures; they get no generic form of their own.
IDOU_PROCEDURES = frozenset({"jumin_tennyu", "jumin_tenkyo", "jumin_tenshutsu"})


@dataclass
class PersonData:
    key: str
    name: str  # exact text, IVS and non-BMP included; U+3000 between 氏 and 名
    name_kana: str = ""
    birth_date: date | None = None
    sex: str = "0"  # ISO 5218: "1" 男, "2" 女, "9" 適用不能, "0" 不明
    relation: str = ""  # 続柄 to the (new) head
    nationality: str = "JP"  # "JP" or a country/region name
    residence_status: str = ""
    residence_expiry: date | None = None
    residence_card_no: str = ""
    moving: bool = False
    applicant: bool = False
    has_mynumber_card: bool | None = None
    facts: dict = field(default_factory=dict)  # interview answers by fact id
    # Insurance and pension numbers the register mirror knows (kokuho, koki, kaigo, nenkin).
    numbers: dict = field(default_factory=dict)
    # The 個人番号 read from the person's My Number card at this visit (counter.card), as 12
    # digits only while the packet is drawn; "" when not read. Printed only on the forms of
    # this person's own procedures (printing.dictionary `*.mynumber`); kept out of repr so a
    # traceback or a log line never carries it.
    mynumber: str = field(default="", repr=False)

    @property
    def is_foreign(self) -> bool:
        return self.nationality != "JP"


@dataclass
class Procedure:
    id: str
    person: str | None
    department: str
    department_name: str
    location: str
    kind: str  # form / auto / guidance / external
    status: str  # applies / needs_check
    deadline: date | None = None
    reason: str = ""
    question: str | None = None
    title: str = ""
    bring: list[str] = field(default_factory=list)
    form: str | None = None
    late: str = ""  # the catalog's note for a filing after the deadline (期限超過)
    # A form for the household (template `per: household`): the people of the procedures
    # it stands for, one row each; `person` is then None.
    people: list[str] = field(default_factory=list)

    @classmethod
    def from_result(cls, r) -> Procedure:
        """A navigator result (catalog.navigator.Result, read by its fields only: printing does
        not import the catalog) as the printer sees it."""
        return cls(
            **{f: getattr(r, f) for f in cls.__dataclass_fields__ if f not in ("bring", "people")},
            bring=list(r.bring),
        )


@dataclass
class Stop:
    """A counter on the resident's way round the building (the pack's departments)."""

    department: str
    name: str
    floor: str = ""
    counter: str = ""
    route: int = 0


@dataclass
class PacketData:
    visit_number: str
    municipality: str
    issued_on: date
    events: list[str]  # the visit's event ids, as they were declared (not interpreted here)
    event_names: list[str]
    event_date: date
    new_address: dict
    old_address: dict
    # What the events mean for the address, filled by the caller from the pack's events:
    # "in" / "out" / "within" (None: no move), and whether the other end is abroad.
    move: str | None = None
    abroad: bool = False
    phone: str = ""
    household_head_name: str = ""
    old_household_head_name: str = ""
    people: list[PersonData] = field(default_factory=list)
    procedures: list[Procedure] = field(default_factory=list)
    household_facts: dict = field(default_factory=dict)
    # The resident's tablet signature (PNG), drawn into the signature boxes of the forms the
    # resident was shown when signing (`signed_forms`, form_key()s; None: every box).
    signature: bytes | None = None
    signed_at: datetime | None = None
    signed_forms: list[str] | None = None
    gannen: bool = True  # 「令和元年」 or 「令和1年」: a municipal setting
    # The departments' floors and counters in walking order, and from what age of the
    # applicant the packet adds the large-print 窓口のご案内 (None: never).
    route: list[Stop] = field(default_factory=list)
    large_slip_age: int | None = None
    # How the forms print digits unless a form's template says otherwise: the pack's
    # `form_digits` setting, "full" (１２３) or "half" (123).
    digits: str = "full"
    # A trainee's practice (練習モード): every page carries 練習 and can be told from a real one.
    training: bool = False

    def signs(self, fill: Fill) -> bool:
        """Whether the tablet signature goes into this form's boxes."""
        if self.signature is None:
            return False
        return self.signed_forms is None or form_key(fill.procedure, fill.person) in (
            self.signed_forms
        )

    def names(self) -> tuple[str, ...]:
        """Every name the packet prints, as the register has it: never rewritten on a form."""
        out = [self.household_head_name, self.old_household_head_name]
        for p in self.people:
            out += [p.name, p.name_kana]
        return tuple(n for n in out if n)

    def person(self, key: str | None) -> PersonData | None:
        return next((p for p in self.people if p.key == key), None) if key else None

    @property
    def applicant(self) -> PersonData | None:
        """The 届出人 / 申請者 of every form; never the deceased, whose heir signs instead."""
        living = [p for p in self.people if p.facts.get("role") not in ("deceased", "newborn")]
        marked = next((p for p in self.people if p.applicant), None)
        if marked is not None and marked.facts.get("role") != "deceased":
            return marked
        return living[0] if marked is not None and living else None

    @property
    def head(self) -> PersonData | None:
        """The 世帯主 after the event (never the deceased), or the applicant without one."""
        living = [p for p in self.people if p.facts.get("role") != "deceased"]
        return next((p for p in living if p.relation == "世帯主"), None) or self.applicant

    def children(self) -> list[PersonData]:
        """The law's 児童 at the event date: to the 3月31日 after reaching 18 (child18)."""
        return [
            p
            for p in self.people
            if p.birth_date is not None
            and p.facts.get("role") != "deceased"
            and is_child18(p.birth_date, self.event_date)
        ]

    @property
    def leaving(self) -> bool:
        """A move out: the applicant's address is the old one, the date a 転出予定日."""
        return self.move == "out"

    @property
    def movers(self) -> list[PersonData]:
        return [p for p in self.people if p.moving]


def form_key(procedure: str, person: str | None) -> str:
    """One printed form of a packet, as a signature names the forms it was given for."""
    return f"{procedure}@{person or ''}"


@dataclass
class Fill:
    """How much of one printed form the counter filled in, and what is left to write."""

    form: str
    procedure: str
    person: str
    prefilled: int = 0
    to_write: int = 0
    signatures: int = 0
    # Whether a 個人番号 was printed on this form (for the audit entry: that, never which).
    mynumber: bool = False

    def count(self, filled: bool) -> None:
        if filled:
            self.prefilled += 1
        else:
            self.to_write += 1
