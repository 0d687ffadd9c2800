"""The catalog pack as data: what load_pack returns and the navigator, screens and slips read.

Nothing here reads files: catalog.pack.load builds these from YAML (through
catalog.pack.reader and catalog.pack.overlay).
"""

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from catalog.rules import Node, PackDerived

KINDS = ("form", "auto", "guidance", "external")
# How every screen, slip and command names a kind (life-events.md §4), in the pack's language.
KIND_LABELS = {"form": "申請書", "auto": "職権", "guidance": "案内", "external": "他機関"}
FACT_TYPES = ("bool", "enum", "date", "int", "set", "text")
SCOPES = ("person", "household")


@dataclass(frozen=True)
class PackProblem:
    """One problem in a pack. `kind` "error" refuses the pack; "never" (a rule that can
    never apply) is only reported by `check_pack`, since the navigator can still run."""

    file: str
    line: int
    message: str
    kind: str = "error"

    def __str__(self) -> str:
        where = f"{self.file} {self.line}行目" if self.line else self.file
        return f"{where}: {self.message}"


class PackError(Exception):
    """A pack that cannot be used; str() is `FILE N行目: 何が悪いか` for the pack's author.

    `problems` holds every problem found when the loader got that far (the first is this one).
    """

    def __init__(self, file, line: int, message: str, problems=()):
        self.file, self.line, self.message = str(file), line, message
        self.problems = list(problems) or [PackProblem(self.file, line, message)]
        where = f"{self.file} {line}行目" if line else self.file
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class DepartmentDef:
    """A department as the pack defines it (departments.yaml): its name and 窓口 in this city.

    accounts.models.Department is the staff side of the same id (who works where).
    """

    id: str
    name: str
    location: str
    order: int
    floor: str = ""
    counter: str = ""  # 窓口番号
    note: str = ""
    # Where the department comes on the way round the building (departments.yaml `route`):
    # the large-print slip sends a resident floor by floor in this order; 0 is last.
    route: int = 0


# What a move event does to the register (events.yaml `move:`): in comes from elsewhere,
# out leaves the municipality, within stays in it.
MOVES = ("in", "out", "within")


@dataclass
class Event:
    id: str
    name: str
    subjects: str  # the rule text; `subject` in procedure rules runs its compiled form
    note: str = ""
    subject_rule: Node | None = field(default=None, repr=False)
    # What the event means, as data, so no screen or form tests the id's spelling:
    # `move` is None for an event that is not a move; `abroad` marks a move from or to
    # another country (国外転入・国外転出), always with a move.
    move: str | None = None
    abroad: bool = False


_YES = {"true", "1", "yes", "y", "はい", "あり", "有", "on"}
_NO = {"false", "0", "no", "n", "いいえ", "なし", "無", "off"}


@dataclass
class Fact:
    id: str
    type: str
    scope: str
    label: str
    question: str
    help: str = ""
    register: bool = False
    choices: dict = field(default_factory=dict)  # value -> Japanese label, in order
    yes: str = ""
    no: str = ""
    unit: str = ""
    order: int = 0
    # When the fact can hold at all (`only_if`, a rule) and whether one member having it
    # rules it out for the others: the interview leaves such facts unasked (relevance.py).
    only_if: str = ""
    only_if_rule: Node | None = field(default=None, repr=False)
    one_per_household: bool = False
    # A status few people have, read out from a list: the counter offers one 「該当なし」 for
    # every such question still open, which the clerk presses once the resident has said so.
    checklist: bool = False
    # An item a form records without any rule reading it (本籍, 住民票コード…): asked under
    # 「届書の記載事項」 when the packet prints one of `forms` and `ask_if` is not false.
    forms: tuple[str, ...] = ()
    ask_if: str = ""
    ask_if_rule: Node | None = field(default=None, repr=False)

    @property
    def choice_list(self) -> list[tuple[str, str]] | None:
        """(value, label) pairs a screen can offer; None for dates, numbers and text."""
        if self.type == "bool":
            return [("true", "はい"), ("false", "いいえ")]
        if self.type in ("enum", "set"):
            return list(self.choices.items())
        return None

    def normalize(self, value):
        """The value as rules compare it (enum as text, dates as date, sets as frozenset)."""
        if value is None:
            return None
        if self.type == "enum":
            return str(value)
        if self.type == "date" and isinstance(value, str):
            return date.fromisoformat(value)
        if self.type == "set":
            return frozenset(value)
        return value

    def parse(self, raw):
        """A screen's answer as a value; ValueError with a message for staff when it is not one."""
        if not isinstance(raw, str):
            return raw
        text = unicodedata.normalize("NFKC", raw).strip()
        if self.type == "bool":
            if text.lower() in _YES:
                return True
            if text.lower() in _NO:
                return False
            raise ValueError(f"{self.label}：「はい」か「いいえ」で答えてください")
        if self.type == "enum":
            return self._choice(text)
        if self.type == "set":
            items = [t for t in re.split(r"[,、\s]+", text) if t]
            return sorted({self._choice(t) for t in items})
        if self.type == "date":
            from lib.wareki import parse_date

            return parse_date(text)
        if self.type == "int":
            try:
                return int(text.removesuffix(self.unit) if self.unit else text)
            except ValueError:
                raise ValueError(f"{self.label}：数字で入力してください") from None
        return text

    def _choice(self, text):
        if text in self.choices:
            return text
        for value, label in self.choices.items():
            if text == label:
                return value
        raise ValueError(
            f"{self.label}：「{text}」は選べる値にありません（{'、'.join(self.choices.values())}）"
        )

    def display(self, value) -> str:
        if value is None:
            return "不明"
        if self.type == "bool":
            return "はい" if value else "いいえ"
        if self.type == "enum":
            return self.choices.get(str(value), str(value))
        if self.type == "set":
            return "、".join(self.choices.get(v, v) for v in sorted(value)) or "なし"
        if self.type == "date":
            from lib.wareki import to_wareki

            return to_wareki(self.normalize(value))
        if self.type == "int":
            return f"{value}{self.unit}"
        return str(value)


_UNIT_WORDS = {"d": "日", "m": "か月", "y": "年"}


@dataclass(frozen=True)
class Deadline:
    """A period from the event date (or from a date fact), counted as the law says.

    By default the first day is not counted (民法140条): 14日 from 4月10日 ends 4月24日.
    `first_day: true` counts it, as 戸籍法43条 does for 出生届 and 死亡届.
    """

    amount: int
    unit: str  # d, m, y
    first_day: bool = False
    start: str = "event"  # "event", a date fact of the person, or "subject.<fact>"

    @property
    def text(self) -> str:
        return f"{self.amount}{_UNIT_WORDS[self.unit]}"

    def describe(self, fact_labels: dict | None = None) -> str:
        """「異動日の翌日から14日」「生年月日から14日（初日を含む）」 for screens and diffs."""
        start = self.start.removeprefix("subject.")
        if self.start == "event":
            where = "届出の日（異動日）"
        else:
            label = (fact_labels or {}).get(start, start)
            where = f"対象者の{label}" if self.start.startswith("subject.") else label
        if self.first_day:
            return f"{where}から{self.text}（初日を含む）"
        return f"{where}の翌日から{self.text}"

    def due(self, start: date) -> date:
        first = start if self.first_day else start + timedelta(days=1)
        if self.unit == "d":
            return first + timedelta(days=self.amount - 1)
        months = self.amount * (12 if self.unit == "y" else 1)
        y, m = divmod(first.month - 1 + months, 12)
        y, m = first.year + y, m + 1
        last = calendar.monthrange(y, m)[1]
        # 民法143条: the day before the corresponding day, or the month's end when it has none.
        if first.day > last:
            return date(y, m, last)
        return date(y, m, first.day) - timedelta(days=1)


@dataclass
class Variant:
    """A procedure as one event reaches it: its rule, and what the slip says for it."""

    procedure: str
    event: str
    per: str  # visit | person
    title: str
    form: str | None
    bring: tuple[str, ...]
    deadline: Deadline | None
    when: str
    over: str
    reason: str
    file: str
    line: int
    rule: Node = field(repr=False, default=None)
    over_rule: Node | None = field(repr=False, default=None)
    note: str = ""
    # Every event the YAML entry names: one entry is one rule, whatever the event.
    entry_events: tuple[str, ...] = ()
    when_line: int = 0  # where `when:` is written, for problems about the rule
    late: str = ""  # what to tell the resident once the deadline has passed (期限超過)


@dataclass
class ProcedureDef:
    """A procedure as the pack defines it, with one variant per event that reaches it.

    A visit's procedures are the navigator's results (catalog.navigator.Result), and what
    a packet prints of them is printing.data.Procedure.
    """

    id: str
    department: str
    kind: str
    title: str
    order: int
    variants: list[Variant] = field(default_factory=list)
    # The veterans' know-how (guides.yaml): {"why", "check", "mistakes"}, each a short text;
    # a municipality's overlay writes or replaces it. Shown beside the procedure in training.
    guide: dict = field(default_factory=dict)

    @property
    def events(self) -> list[str]:
        return [v.event for v in self.variants]


@dataclass
class Pack:
    name: str
    version: str
    path: Path
    municipality: dict
    settings: dict
    departments: dict[str, DepartmentDef]
    events: dict[str, Event]
    facts: dict[str, Fact]
    procedures: dict[str, ProcedureDef]
    by_event: dict[str, list[Variant]]
    derived: dict[str, PackDerived]
    phrases: dict[str, tuple[str, str]]
    # Facts whose stored form differs from what rules compare (enum, date, set).
    normalizers: dict = field(repr=False, default_factory=dict)
    label: str = ""  # the version as pack.yaml writes it, without the digest
    layers: tuple[Path, ...] = ()  # the base pack first, this pack last
    files: tuple[Path, ...] = ()  # every file the version's digest covers (forms/ too)
    # The merged files as plain data (overlays applied), form templates as text:
    # what `catalog export` writes.
    documents: dict = field(repr=False, default_factory=dict)
