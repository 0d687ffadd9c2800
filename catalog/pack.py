"""Catalog packs: the departments, events, facts and procedures of a municipality, as YAML.

A pack is a folder (catalogs/default/ is the reference one):

    pack.yaml          name, version, municipality, settings (*(varies)* thresholds), file list
    departments.yaml   departments in the order the guidance slip lists them, with 窓口
    events.yaml        life events and who their subjects are (a rule)
    facts.yaml         the data dictionary: type, scope, label, interview question
    derived.yaml       wording of the built-in derived values, and pack-defined ones
    procedures/*.yaml  procedures: department, kind, form, deadline, rule per event

`load_pack` reads and checks all of it once; every rule is compiled then, so navigating
is only running compiled nodes. Any problem is a PackError naming the file and line.
"""

import calendar
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from catalog import yamlio
from catalog.rules import RESERVED, Compiler, Node, PackDerived, RuleError

KINDS = ("form", "auto", "guidance", "external")
FACT_TYPES = ("bool", "enum", "date", "int", "set", "text")
SCOPES = ("person", "household")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class PackError(Exception):
    """A pack that cannot be used; str() is `FILE N行目: 何が悪いか` for the pack's author."""

    def __init__(self, file, line: int, message: str):
        self.file, self.line, self.message = str(file), line, message
        where = f"{self.file} {line}行目" if line else self.file
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    location: str
    order: int


@dataclass
class Event:
    id: str
    name: str
    subjects: str  # the rule text; `subject` in procedure rules runs its compiled form
    note: str = ""
    subject_rule: Node | None = field(default=None, repr=False)


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


_PERIOD = re.compile(r"^(\d+)\s*([dmy])$")
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


@dataclass
class Procedure:
    id: str
    department: str
    kind: str
    title: str
    order: int
    variants: list[Variant] = field(default_factory=list)

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
    departments: dict[str, Department]
    events: dict[str, Event]
    facts: dict[str, Fact]
    procedures: dict[str, Procedure]
    by_event: dict[str, list[Variant]]
    derived: dict[str, PackDerived]
    phrases: dict[str, tuple[str, str]]
    # Facts whose stored form differs from what rules compare (enum, date, set).
    normalizers: dict = field(repr=False, default_factory=dict)


# --- loading -------------------------------------------------------------------------


class _Reader:
    """Reads one pack folder; keeps the file being read for error messages."""

    def __init__(self, root: Path):
        self.root = root
        self.digest = hashlib.sha256()
        self.file = root

    def load(self, rel: str):
        self.file = self.root / rel
        try:
            data = self.file.read_bytes()
        except OSError as e:
            raise PackError(self.file, 0, f"ファイルが読めません（{e.strerror}）") from None
        self.digest.update(rel.encode() + b"\0" + data)
        try:
            return yamlio.loads(data)
        except yamlio.YamlProblem as e:
            raise PackError(self.file, e.line, e.message) from None

    def fail(self, where, message, key=None):
        line = (
            where.line_of(key)
            if key is not None and hasattr(where, "line_of")
            else getattr(where, "line", 0)
        )
        return PackError(self.file, line, message)

    def mapping(self, m, what, keys, required=()):
        if not isinstance(m, dict):
            raise self.fail(m, f"{what}は「項目: 値」の形で書いてください")
        for k in m:
            if k not in keys:
                raise self.fail(
                    m, f"{what}に不明な項目「{k}」があります（使える項目: {', '.join(keys)}）", k
                )
        for k in required:
            if m.get(k) in (None, ""):
                raise self.fail(m, f"{what}に「{k}」がありません")
        return m

    def items(self, doc, key, what, others=()):
        self.mapping(doc, self.file.name, (key, *others), (key,))
        seq = doc[key]
        if not isinstance(seq, list):
            raise self.fail(doc, f"「{key}」は {what} の一覧（- で始まる行）で書いてください", key)
        return seq

    def ident(self, m, key, what):
        value = m.get(key)
        if not isinstance(value, str) or not _ID.match(value):
            raise self.fail(m, f"{what}のID「{value}」は英小文字・数字・_ で書いてください", key)
        return value

    def text(self, m, key, what, required=True):
        value = m.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(m, f"{what}の「{key}」は文字で書いてください", key)
        return value.strip()


def load_pack(path: Path | str) -> Pack:
    root = Path(path)
    r = _Reader(root)
    meta = r.mapping(
        r.load("pack.yaml"),
        "pack.yaml",
        ("name", "version", "municipality", "settings", "procedures"),
        ("name", "version"),
    )
    settings = dict(meta.get("settings") or {})
    municipality = dict(meta.get("municipality") or {})

    departments = _departments(r)
    facts = _facts(r)
    events_doc = r.load("events.yaml")
    event_items = r.items(events_doc, "events", "イベント")
    event_names = {}
    for m in event_items:
        r.mapping(m, "イベント", ("id", "name", "subjects", "note"), ("id", "name", "subjects"))
        eid = r.ident(m, "id", "イベント")
        if eid in event_names:
            raise r.fail(m, f"イベントID「{eid}」が2回定義されています", "id")
        event_names[eid] = r.text(m, "name", "イベント")

    phrases, derived_doc = _phrases(r)
    compiler = Compiler(facts, event_names, phrases, settings)
    _pack_derived(r, derived_doc, compiler, facts)

    r.file = root / "events.yaml"
    events = {}
    compiler.defining_subjects = True
    for m in event_items:
        rule = _compile(r, compiler, m, "subjects", person=True)
        events[m["id"]] = Event(
            m["id"], event_names[m["id"]], str(m["subjects"]), str(m.get("note") or ""), rule
        )
    compiler.defining_subjects = False

    files = meta.get("procedures")
    if files is None:
        files = sorted(str(p.relative_to(root)) for p in (root / "procedures").glob("*.yaml"))
    elif not isinstance(files, list):
        r.file = root / "pack.yaml"
        raise r.fail(meta, "procedures はファイルの一覧で書いてください", "procedures")
    listed = {str(Path(f)) for f in files}
    for p in sorted((root / "procedures").glob("*.yaml")):
        if str(p.relative_to(root)) not in listed:
            r.file = root / "pack.yaml"
            raise r.fail(
                meta, f"{p.relative_to(root)} が procedures に挙がっていません", "procedures"
            )

    procedures: dict[str, Procedure] = {}
    by_event: dict[str, list[Variant]] = {e: [] for e in events}
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    for rel in files:
        _procedures(r, rel, compiler, departments, events, procedures, seen)
    for proc in procedures.values():
        for v in proc.variants:
            by_event[v.event].append(v)
    # The navigator walks variants in the pack's procedure order.
    for variants in by_event.values():
        variants.sort(key=lambda v: procedures[v.procedure].order)

    return Pack(
        name=str(meta["name"]),
        version=f"{meta['version']}+{r.digest.hexdigest()[:8]}",
        path=root,
        municipality=municipality,
        settings=settings,
        departments=departments,
        events=events,
        facts=facts,
        procedures=procedures,
        by_event=by_event,
        derived=compiler.derived,
        phrases=phrases,
        normalizers={
            f.id: f.normalize for f in facts.values() if f.type in ("enum", "date", "set")
        },
    )


def _departments(r: _Reader) -> dict[str, Department]:
    out: dict[str, Department] = {}
    for m in r.items(r.load("departments.yaml"), "departments", "担当課"):
        r.mapping(m, "担当課", ("id", "name", "location", "note"), ("id", "name"))
        did = r.ident(m, "id", "担当課")
        if did in out:
            raise r.fail(m, f"担当課ID「{did}」が2回定義されています", "id")
        out[did] = Department(
            did,
            r.text(m, "name", "担当課"),
            r.text(m, "location", "担当課", required=False),
            len(out),
        )
    return out


def _facts(r: _Reader) -> dict[str, Fact]:
    out: dict[str, Fact] = {}
    keys = (
        "id",
        "type",
        "scope",
        "label",
        "question",
        "help",
        "register",
        "choices",
        "yes",
        "no",
        "unit",
    )
    for m in r.items(r.load("facts.yaml"), "facts", "事実"):
        r.mapping(m, "事実", keys, ("id", "type", "scope", "label", "question"))
        fid = r.ident(m, "id", "事実")
        if fid in out:
            raise r.fail(m, f"事実ID「{fid}」が2回定義されています", "id")
        if fid in RESERVED:
            raise r.fail(m, f"「{fid}」は規則の予約語なので事実IDに使えません", "id")
        if m["type"] not in FACT_TYPES:
            raise r.fail(
                m, f"事実の型「{m['type']}」は使えません（{', '.join(FACT_TYPES)}）", "type"
            )
        if m["scope"] not in SCOPES:
            raise r.fail(m, f"scope は person か household です（「{m['scope']}」）", "scope")
        choices = m.get("choices") or {}
        if m["type"] in ("enum", "set"):
            if not isinstance(choices, dict) or not choices:
                raise r.fail(
                    m, f"{fid} は {m['type']} なので choices（値: 表示名）が必要です", "choices"
                )
            choices = {str(k): str(v) for k, v in choices.items()}
        elif choices:
            raise r.fail(m, "choices は enum と set の事実にだけ書けます", "choices")
        label = r.text(m, "label", "事実")
        out[fid] = Fact(
            id=fid,
            type=m["type"],
            scope=m["scope"],
            label=label,
            question=r.text(m, "question", "事実"),
            help=r.text(m, "help", "事実", required=False),
            register=bool(m.get("register", False)),
            choices=choices,
            yes=str(m.get("yes") or f"{label}あり"),
            no=str(m.get("no") or f"{label}なし"),
            unit=str(m.get("unit") or ""),
            order=len(out),
        )
    return out


def _phrases(r: _Reader):
    doc = r.mapping(r.load("derived.yaml"), "derived.yaml", ("builtin", "derived"))
    phrases = {}
    builtin = doc.get("builtin") or {}
    for name, m in builtin.items():
        r.mapping(m, f"builtin.{name}", ("label", "yes", "no"), ("yes", "no"))
        if name not in RESERVED:
            raise r.fail(builtin, f"「{name}」という組み込みの値はありません", name)
        phrases[name] = (str(m["yes"]), str(m["no"]))
    return phrases, doc


def _pack_derived(r: _Reader, doc, compiler: Compiler, facts):
    for m in doc.get("derived") or []:
        r.mapping(m, "派生値", ("id", "label", "rule", "yes", "no"), ("id", "rule"))
        name = r.ident(m, "id", "派生値")
        if name in facts or name in RESERVED or name in compiler.derived:
            raise r.fail(m, f"派生値「{name}」は事実か他の名前と重なっています", "id")
        node = _compile(r, compiler, m, "rule", person=True)
        compiler.derived[name] = PackDerived(
            name, node, str(m.get("yes") or ""), str(m.get("no") or "")
        )


def _compile(r: _Reader, compiler: Compiler, m, key, *, person: bool, default=None) -> Node:
    source = m.get(key, default)
    try:
        return compiler.compile(source, person=person)
    except RuleError as e:
        raise PackError(
            r.file, m.line_of(key) + e.line, f"{e.message}（{key}: {source}）"
        ) from None


def _deadline(r: _Reader, m, facts) -> Deadline | None:
    raw = m.get("deadline")
    if raw is None or raw == "none":
        return None
    spec = {"period": raw} if isinstance(raw, str) else raw
    r.mapping(spec, "deadline", ("period", "from", "first_day"), ("period",))
    match = _PERIOD.match(str(spec["period"]).strip())
    if not match or int(match[1]) == 0:
        raise r.fail(
            m,
            f"期限「{spec['period']}」が読めません（14d、3m、2y のように書いてください）",
            "deadline",
        )
    start = str(spec.get("from") or "event")
    fact_id = start.removeprefix("subject.")
    if start != "event" and (fact_id not in facts or facts[fact_id].type != "date"):
        raise r.fail(m, f"期限の起算日「{start}」は event か日付の事実にしてください", "deadline")
    return Deadline(int(match[1]), match[2], bool(spec.get("first_day", False)), start)


_PROC_KEYS = (
    "id",
    "events",
    "department",
    "kind",
    "title",
    "form",
    "per",
    "over",
    "when",
    "deadline",
    "bring",
    "reason",
    "note",
)


def _procedures(r: _Reader, rel, compiler, departments, events, procedures, seen):
    doc = r.load(rel)
    items = r.items(doc, "procedures", "手続", others=("events", "note"))
    default_events = doc.get("events")
    for m in items:
        r.mapping(m, "手続", _PROC_KEYS, ("id", "department", "kind", "title", "when"))
        pid = r.ident(m, "id", "手続")
        evs = m.get("events", default_events)
        if isinstance(evs, str):
            evs = [evs]
        if not evs:
            raise r.fail(m, f"手続「{pid}」の events がありません", "id")
        for e in evs:
            if e not in events:
                raise r.fail(
                    m, f"「{e}」というイベントはありません", "events" if "events" in m else "id"
                )
        dept, kind = m["department"], m["kind"]
        if dept not in departments:
            raise r.fail(m, f"「{dept}」という担当課はありません（departments.yaml）", "department")
        if kind not in KINDS:
            raise r.fail(m, f"種類「{kind}」は使えません（{', '.join(KINDS)}）", "kind")
        per = m.get("per", "person")
        if per not in ("visit", "person"):
            raise r.fail(m, f"per は visit か person です（「{per}」）", "per")
        if per == "visit" and "over" in m:
            raise r.fail(m, "来庁ごと（per: visit）の手続に over は書けません", "over")
        form = m.get("form")
        if kind == "form" and not form:
            raise r.fail(m, f"手続「{pid}」は申請書（form）なので form のIDが必要です", "kind")
        bring = m.get("bring") or []
        if not isinstance(bring, list) or not all(isinstance(b, str) for b in bring):
            raise r.fail(m, "bring（持ち物）は文字の一覧で書いてください", "bring")
        proc = procedures.get(pid)
        if proc is None:
            proc = procedures[pid] = Procedure(
                pid, dept, kind, r.text(m, "title", "手続"), len(procedures)
            )
        elif (proc.department, proc.kind) != (dept, kind):
            first = proc.variants[0]
            raise r.fail(
                m,
                f"手続「{pid}」の担当課・種類が {first.file} {first.line}行目の定義と違います",
                "department",
            )
        rule = _compile(r, compiler, m, "when", person=per == "person")
        over_rule = (
            _compile(r, compiler, m, "over", person=True, default="subject")
            if per == "person"
            else None
        )
        deadline = _deadline(r, m, compiler.facts)
        for e in evs:
            if (pid, e) in seen:
                f, line = seen[(pid, e)]
                raise r.fail(
                    m,
                    f"手続「{pid}」がイベント {e} について2回定義されています（最初は {f} {line}行目）",
                    "id",
                )
            seen[(pid, e)] = (rel, m.line)
            proc.variants.append(
                Variant(
                    procedure=pid,
                    event=e,
                    per=per,
                    title=r.text(m, "title", "手続"),
                    form=form,
                    bring=tuple(bring),
                    deadline=deadline,
                    when=str(m["when"]),
                    over=str(m.get("over", "subject")) if per == "person" else "",
                    reason=str(m.get("reason") or ""),
                    file=rel,
                    line=m.line,
                    rule=rule,
                    over_rule=over_rule,
                )
            )


@cache
def _load_default(path: str) -> Pack:
    return load_pack(path)


def default_dir() -> Path:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        return Path(settings.CATALOG_DIR)
    except (ImproperlyConfigured, AttributeError):
        # Outside Django (scripts, pure tests): the pack that ships with the code.
        return Path(__file__).resolve().parent.parent / "catalogs" / "default"


def default_pack() -> Pack:
    """The pack the system runs on, loaded once per process (the web must not reload it)."""
    return _load_default(str(default_dir()))
