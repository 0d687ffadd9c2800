"""Catalog packs: the departments, events, facts and procedures of a municipality, as YAML.

A pack is a folder (catalogs/default/ is the reference one; docs/catalog-pack.md is the manual):

    pack.yaml          name, version, municipality, settings (*(varies)* thresholds), file list
    departments.yaml   departments in the order the guidance slip lists them, with 窓口
    events.yaml        life events, who their subjects are (a rule), and `move`/`abroad`
    facts.yaml         the data dictionary: type, scope, label, interview question
    derived.yaml       wording of the built-in derived values, and pack-defined ones
    procedures/*.yaml  procedures: department, kind, form, deadline, rule per event

A municipality's overlay is a folder whose pack.yaml names a `base:` pack; it renames
departments and 窓口, changes settings, removes procedures and adds its own. The loader
merges the layers and checks the result as one pack.

`load_pack` reads and checks all of it once; every rule is compiled then, so navigating
is only running compiled nodes. `check_pack` returns every problem (file, line, message);
`load_pack` raises the first as a PackError.
"""

import calendar
import hashlib
import os
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from catalog import yamlio
from catalog.rules import RESERVED, Compiler, Node, PackDerived, RuleError

KINDS = ("form", "auto", "guidance", "external")
# How every screen, slip and command names a kind (life-events.md §4), in the pack's language.
KIND_LABELS = {"form": "申請書", "auto": "職権", "guidance": "案内", "external": "他機関"}
FACT_TYPES = ("bool", "enum", "date", "int", "set", "text")
SCOPES = ("person", "household")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# `{setting.name}` in a title, reason or bring item shows the municipality's value.
_SETTING_REF = re.compile(r"\{setting\.([A-Za-z0-9_]+)\}")


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
class Department:
    id: str
    name: str
    location: str
    order: int
    floor: str = ""
    counter: str = ""  # 窓口番号
    note: str = ""


@dataclass
class Event:
    id: str
    name: str
    subjects: str  # the rule text; `subject` in procedure rules runs its compiled form
    note: str = ""
    subject_rule: Node | None = field(default=None, repr=False)
    # What the event means for the address, as data (counter's Visit reads it; printing gets
    # it in PacketData): a move into the municipality, out of it, or within it; `abroad`
    # when the other end is outside Japan.
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
    label: str = ""  # the version as pack.yaml writes it, without the digest
    layers: tuple[Path, ...] = ()  # the base pack first, this pack last
    files: tuple[Path, ...] = ()  # every file the version's digest covers (forms/ too)
    # The merged files as plain data (overlays applied), form templates as text:
    # what `catalog export` writes.
    documents: dict = field(repr=False, default_factory=dict)


# --- loading -------------------------------------------------------------------------

_META_KEYS = (
    "name",
    "version",
    "municipality",
    "settings",
    "procedures",
    "base",
    "remove",
    "source",
)
_DEPT_KEYS = ("id", "name", "location", "floor", "counter", "note")
_FACT_KEYS = (
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


@dataclass
class _Layer:
    root: Path
    meta: dict
    depth: int  # 0 for the pack asked for, 1 for its base, ...


class _Reader:
    """Reads the layers of a pack; every problem goes to `problems`, in reading order."""

    def __init__(self):
        self.digest = hashlib.sha256()
        self.problems: list[PackProblem] = []
        self.files: list[Path] = []
        self.file: Path | None = None  # fallback for values that carry no file

    def load(self, layer: _Layer | None, rel: str, *, root=None, depth=0, optional=False):
        root = layer.root if layer else root
        depth = layer.depth if layer else depth
        path = root / rel
        self.file = path
        if optional and not path.is_file():
            return None
        try:
            data = path.read_bytes()
        except OSError as e:
            self.report(path, 0, f"ファイルが読めません（{e.strerror}）")
            return None
        self.files.append(path)
        # A base's files are marked so that moving a file between layers changes the version.
        mark = f"base{depth}:" if depth else ""
        self.digest.update(mark.encode() + rel.encode() + b"\0" + data)
        try:
            doc = yamlio.loads(data)
        except yamlio.YamlProblem as e:
            self.report(path, e.line, e.message)
            return None
        _tag(doc, path)
        return doc

    def report(self, file, line: int, message: str, kind="error"):
        self.problems.append(PackProblem(str(file), line, message, kind))

    @contextmanager
    def collect(self):
        """Record a PackError raised inside and carry on with the next item."""
        try:
            yield
        except PackError as e:
            self.report(e.file, e.line, e.message)

    def fail(self, where, message, key=None):
        line = (
            where.line_of(key)
            if key is not None and hasattr(where, "line_of")
            else getattr(where, "line", 0)
        )
        return PackError(getattr(where, "file", None) or self.file, line, message)

    def keys(self, m, what, keys, required=()) -> bool:
        """Report unknown and missing keys; False when the item cannot be read at all."""
        if not isinstance(m, dict):
            self.problems.append(
                _problem(self.fail(m, f"{what}は「項目: 値」の形で書いてください"))
            )
            return False
        ok = True
        for k in m:
            if k not in keys:
                e = self.fail(
                    m, f"{what}に不明な項目「{k}」があります（使える項目: {', '.join(keys)}）", k
                )
                self.problems.append(_problem(e))
        for k in required:
            if m.get(k) in (None, ""):
                self.problems.append(_problem(self.fail(m, f"{what}に「{k}」がありません")))
                ok = False
        return ok

    def items(self, doc, key, what, others=()) -> list:
        if not self.keys(doc, getattr(doc, "file", self.file).name, (key, *others), (key,)):
            return []
        seq = doc[key]
        if not isinstance(seq, list):
            self.problems.append(
                _problem(
                    self.fail(
                        doc, f"「{key}」は {what} の一覧（- で始まる行）で書いてください", key
                    )
                )
            )
            return []
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


MOVES = ("in", "out", "within")


def _event_move(r: _Reader, m: dict, eid: str) -> tuple[str | None, bool]:
    """An event's `move` (in / out / within) and `abroad`: what it means for the address."""
    move = m.get("move")
    if move is not None and move not in MOVES:
        raise r.fail(
            m,
            f"イベント「{eid}」の move は {'・'.join(MOVES)} のどれかです（{move!r}）",
            "move",
        )
    abroad = m.get("abroad", False)
    if not isinstance(abroad, bool):
        raise r.fail(
            m,
            f"イベント「{eid}」の abroad は true か false で書いてください（{abroad!r}）",
            "abroad",
        )
    if abroad and move is None:
        raise r.fail(
            m,
            f"イベント「{eid}」は abroad: true ですが move がありません（in・out・within）",
            "abroad",
        )
    return move, abroad


def _problem(e: PackError) -> PackProblem:
    return PackProblem(e.file, e.line, e.message)


def _tag(node, path: Path):
    """Remember the file on every mapping and list, for problems found after merging."""
    if isinstance(node, (yamlio.Map, yamlio.Seq)):
        node.file = path
        for child in node.values() if isinstance(node, dict) else node:
            _tag(child, path)


def plain(node):
    """A Map/Seq tree as plain dicts and lists (what export writes)."""
    if isinstance(node, dict):
        return {k: plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


def load_pack(path: Path | str) -> Pack:
    """The pack at `path` (a folder, possibly an overlay); PackError on the first problem."""
    pack, problems = _read(Path(path))
    errors = [p for p in problems if p.kind == "error"]
    if errors:
        first = errors[0]
        raise PackError(first.file, first.line, first.message, errors)
    return pack


def check_pack(path: Path | str) -> list[PackProblem]:
    """Every problem of the pack at `path`: errors, then rules that can never apply."""
    from catalog.lint import never_applies_problems

    pack, problems = _read(Path(path))
    if pack is not None:
        problems += never_applies_problems(pack)
    return problems


def _layers(r: _Reader, root: Path, depth=0, chain=()) -> list[_Layer]:
    meta = r.load(None, "pack.yaml", root=root, depth=depth)
    if meta is None:
        return []
    required = ("name", "version")
    if not r.keys(meta, "pack.yaml", _META_KEYS, required) and not isinstance(meta, dict):
        return []
    layers: list[_Layer] = []
    base = meta.get("base")
    if base is not None:
        target = Path(os.path.normpath(root / str(base)))
        if not isinstance(base, str) or not base.strip():
            r.report(
                meta.file,
                meta.line_of("base"),
                "base には基にするカタログのフォルダを書いてください",
            )
        elif target.resolve() in chain or target.resolve() == root.resolve():
            r.report(meta.file, meta.line_of("base"), f"base「{base}」が循環しています")
        elif not (target / "pack.yaml").is_file():
            r.report(
                meta.file,
                meta.line_of("base"),
                f"基にするカタログ「{base}」が見つかりません（{target}）",
            )
        else:
            layers = _layers(r, target, depth + 1, (*chain, root.resolve()))
        if not layers:
            return []
    elif "remove" in meta:
        r.report(
            meta.file,
            meta.line_of("remove"),
            "remove は base のあるカタログ（上書き）にだけ書けます",
        )
    return [*layers, _Layer(root, meta, depth)]


def _read(root: Path) -> tuple[Pack | None, list[PackProblem]]:
    r = _Reader()
    layers = _layers(r, root)
    if not layers:
        return None, r.problems
    top = layers[-1]
    settings = _settings(r, layers)
    municipality: dict = {}
    for layer in layers:
        m = layer.meta.get("municipality") or {}
        if isinstance(m, dict):
            municipality.update(plain(m))
        else:
            r.report(
                layer.meta.file,
                layer.meta.line_of("municipality"),
                "municipality は「項目: 値」で書いてください",
            )

    departments, dept_docs = _departments(r, layers)
    facts, fact_docs = _facts(r, layers)
    event_items = _layered_items(r, layers, "events.yaml", "events", "イベント")
    derived_docs = [
        r.load(layer, "derived.yaml", optional=layer.depth != layers[0].depth) for layer in layers
    ]
    if departments is None or facts is None or event_items is None or derived_docs[0] is None:
        # A core file could not be read: every rule would report the same gap again.
        return None, r.problems

    event_names = {}
    event_moves: dict[str, tuple[str | None, bool]] = {}
    for m in event_items:
        with r.collect():
            if not r.keys(
                m,
                "イベント",
                ("id", "name", "subjects", "note", "move", "abroad"),
                ("id", "name", "subjects"),
            ):
                continue
            eid = r.ident(m, "id", "イベント")
            if eid in event_names:
                raise r.fail(m, f"イベントID「{eid}」が2回定義されています", "id")
            event_names[eid] = r.text(m, "name", "イベント")
            event_moves[eid] = _event_move(r, m, eid)

    phrases, derived_items = _phrases(r, derived_docs)
    compiler = Compiler(facts, event_names, phrases, settings)
    _pack_derived(r, derived_items, compiler, facts)

    events = {}
    compiler.defining_subjects = True
    for m in event_items:
        eid = m.get("id") if isinstance(m, dict) else None
        if eid not in event_names or eid in events:
            continue
        rule = _compile(r, compiler, m, "subjects", person=True)
        move, abroad = event_moves.get(eid, (None, False))
        events[eid] = Event(
            eid,
            event_names[eid],
            str(m["subjects"]),
            str(m.get("note") or ""),
            rule,
            move=move,
            abroad=abroad,
        )
    compiler.defining_subjects = False

    procedures: dict[str, Procedure] = {}
    proc_docs = _procedure_files(r, layers, compiler, departments, events, procedures)
    by_event: dict[str, list[Variant]] = {e: [] for e in events}
    for proc in procedures.values():
        for v in proc.variants:
            by_event[v.event].append(v)
    # The navigator walks variants in the pack's procedure order.
    for variants in by_event.values():
        variants.sort(key=lambda v: procedures[v.procedure].order)

    forms = _forms(r, layers)
    # With errors the pack is still built from what did load (load_pack refuses it), so that
    # `catalog check` reports rules that can never apply in the same pass as the errors.
    label = str(top.meta["version"])
    documents = {
        "pack.yaml": {
            "name": str(top.meta["name"]),
            "version": label,
            "municipality": municipality,
            "settings": dict(settings),
            "procedures": list(proc_docs),
        },
        "departments.yaml": {"departments": dept_docs},
        "events.yaml": {"events": [plain(m) for m in event_items]},
        "facts.yaml": {"facts": fact_docs},
        "derived.yaml": {
            "builtin": {k: {"yes": y, "no": n} for k, (y, n) in phrases.items()},
            "derived": [plain(m) for m in derived_items],
        },
        **proc_docs,
        **forms,
    }
    pack = Pack(
        name=str(top.meta["name"]),
        version=f"{label}+{r.digest.hexdigest()[:8]}",
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
        label=label,
        layers=tuple(layer.root for layer in layers),
        files=tuple(r.files),
        documents=documents,
    )
    return pack, r.problems


def _forms(r: _Reader, layers) -> dict[str, str]:
    """The printing app's form templates (forms/): in the version, and carried by export.

    The catalog does not read them (printing does), but they decide what a visit prints,
    so every file under forms/ is digested. YAML templates are kept as text by name, an
    overlay's replacing its base's of the same name.
    """
    out = {}
    for layer in layers:
        folder = layer.root / "forms"
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = str(path.relative_to(layer.root))
            data = path.read_bytes()
            mark = f"base{layer.depth}:" if layer.depth else ""
            r.digest.update(mark.encode() + rel.encode() + b"\0" + data)
            r.files.append(path)
            if path.suffix == ".yaml" and path.parent == folder:
                out[rel] = data.decode("utf-8")
    return out


def _settings(r: _Reader, layers) -> dict:
    settings: dict = {}
    for layer in layers:
        s = layer.meta.get("settings") or {}
        if not isinstance(s, dict):
            r.report(
                layer.meta.file,
                layer.meta.line_of("settings"),
                "settings は「名前: 値」で書いてください",
            )
            continue
        for k, v in s.items():
            if isinstance(v, bool) or not isinstance(v, (int, str)):
                r.report(s.file, s.line_of(k), f"設定「{k}」の値は数か文字で書いてください")
            elif k in settings and type(settings[k]) is not type(v):
                kind = "数" if isinstance(settings[k], int) else "文字"
                r.report(
                    s.file,
                    s.line_of(k),
                    f"設定「{k}」は基のカタログでは{kind}です（{settings[k]}）",
                )
            else:
                settings[k] = v
    return settings


def _layered_items(r: _Reader, layers, rel, key, what):
    """The items of `rel` in every layer, base first; None when the base's file is unusable."""
    out = []
    for layer in layers:
        doc = r.load(layer, rel, optional=layer is not layers[0])
        if doc is None:
            if layer is layers[0]:
                return None
            continue
        before = len(r.problems)
        items = r.items(doc, key, what)
        if layer is layers[0] and not items and len(r.problems) > before:
            return None
        out.extend(items)
    return out


def _departments(r: _Reader, layers):
    fields: dict[str, dict] = {}
    for layer in layers:
        doc = r.load(layer, "departments.yaml", optional=layer is not layers[0])
        if doc is None:
            if layer is layers[0]:
                return None, None
            continue
        here = set()
        for m in r.items(doc, "departments", "担当課"):
            with r.collect():
                if not r.keys(m, "担当課", _DEPT_KEYS, ("id",)):
                    continue
                did = r.ident(m, "id", "担当課")
                if did in here:
                    raise r.fail(m, f"担当課ID「{did}」が2回定義されています", "id")
                here.add(did)
                # In an overlay a known id renames or moves the department; a new id adds one.
                name = None
                if did not in fields or "name" in m:
                    name = r.text(m, "name", "担当課")  # before anything of it is kept
                f = fields.setdefault(did, {"id": did})
                if name is not None:
                    f["name"] = name
                for key in ("floor", "counter", "note"):
                    if key in m:
                        f[key] = r.text(m, key, "担当課", required=False)
                if "location" in m:
                    f["location"] = r.text(m, "location", "担当課", required=False)
                elif "floor" in m or "counter" in m:
                    f["location"] = " ".join(x for x in (f.get("floor"), f.get("counter")) if x)
    out = {}
    for f in fields.values():
        out[f["id"]] = Department(
            f["id"],
            f["name"],
            f.get("location", ""),
            len(out),
            floor=f.get("floor", ""),
            counter=f.get("counter", ""),
            note=f.get("note", ""),
        )
    docs = [{k: v for k, v in f.items() if v not in (None, "")} for f in fields.values()]
    return out, docs


def _facts(r: _Reader, layers):
    items = _layered_items(r, layers, "facts.yaml", "facts", "事実")
    if items is None:
        return None, None
    out: dict[str, Fact] = {}
    docs = []
    for m in items:
        with r.collect():
            if not r.keys(m, "事実", _FACT_KEYS, ("id", "type", "scope", "label", "question")):
                continue
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
            if "register" in m and not isinstance(m["register"], bool):
                raise r.fail(m, "register は true か false で書いてください", "register")
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
            docs.append(plain(m))
    return out, docs


def _phrases(r: _Reader, docs):
    phrases, items = {}, []
    for doc in docs:
        if doc is None or not r.keys(doc, "derived.yaml", ("builtin", "derived")):
            continue
        builtin = doc.get("builtin") or {}
        for name, m in builtin.items():
            with r.collect():
                if not r.keys(m, f"builtin.{name}", ("label", "yes", "no"), ("yes", "no")):
                    continue
                if name not in RESERVED:
                    raise r.fail(builtin, f"「{name}」という組み込みの値はありません", name)
                phrases[name] = (str(m["yes"]), str(m["no"]))
        derived = doc.get("derived") or []
        if not isinstance(derived, list):
            r.report(
                doc.file,
                doc.line_of("derived"),
                "derived は派生値の一覧（- で始まる行）で書いてください",
            )
            continue
        items.extend(derived)
    return phrases, items


def _pack_derived(r: _Reader, items, compiler: Compiler, facts):
    for m in items:
        with r.collect():
            if not r.keys(m, "派生値", ("id", "label", "rule", "yes", "no"), ("id", "rule")):
                continue
            name = r.ident(m, "id", "派生値")
            if name in facts or name in RESERVED or name in compiler.derived:
                raise r.fail(m, f"派生値「{name}」は事実か他の名前と重なっています", "id")
            node = _compile(r, compiler, m, "rule", person=True)
            if node is not None:
                compiler.derived[name] = PackDerived(
                    name, node, str(m.get("yes") or ""), str(m.get("no") or "")
                )


def _compile(r: _Reader, compiler: Compiler, m, key, *, person: bool, default=None) -> Node | None:
    """The compiled rule, or None after reporting why it does not compile."""
    source = m.get(key, default)
    try:
        return compiler.compile(source, person=person)
    except RuleError as e:
        r.report(m.file, m.line_of(key) + e.line, f"{e.message}（{key}: {source}）")
        return None


def _deadline(r: _Reader, m, facts) -> Deadline | None:
    raw = m.get("deadline")
    if raw is None or raw == "none":
        return None
    spec = {"period": raw} if isinstance(raw, str) else raw
    if not r.keys(spec, "deadline", ("period", "from", "first_day"), ("period",)):
        raise r.fail(m, "期限（deadline）が読めません", "deadline")
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
    return Deadline(int(match[1]), match[2], spec.get("first_day", False) is True, start)


def _fill(r: _Reader, m, key, text: str, settings) -> str:
    """`{setting.name}` replaced by the municipality's value (50000 is shown 50,000)."""

    def value(match):
        name = match[1]
        if name not in settings:
            raise r.fail(
                m, f"「setting.{name}」という設定はありません（pack.yaml の settings）", key
            )
        v = settings[name]
        return f"{v:,}" if isinstance(v, int) else str(v)

    return _SETTING_REF.sub(value, text)


def _procedure_files(r: _Reader, layers, compiler, departments, events, procedures) -> dict:
    """Read every layer's procedure files; return the merged files as plain data by name."""
    removed = _removals(r, layers)
    matched: set[str] = set()
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    docs: dict[str, dict] = {}
    for index, layer in enumerate(layers):
        meta = layer.meta
        files = meta.get("procedures")
        folder = layer.root / "procedures"
        if files is None:
            files = sorted(str(p.relative_to(layer.root)) for p in folder.glob("*.yaml"))
        elif not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            r.report(
                meta.file, meta.line_of("procedures"), "procedures はファイルの一覧で書いてください"
            )
            files = []
        listed = {str(Path(f)) for f in files}
        for p in sorted(folder.glob("*.yaml")):
            if str(p.relative_to(layer.root)) not in listed:
                r.report(
                    meta.file,
                    meta.line_of("procedures"),
                    f"{p.relative_to(layer.root)} が procedures に挙がっていません",
                )
        for rel in files:
            doc = r.load(layer, rel)
            if doc is None:
                continue
            shown = _show(layer, layers[-1], rel)
            kept = []
            for m in r.items(doc, "procedures", "手続", others=("events", "note")):
                pid = m.get("id") if isinstance(m, dict) else None
                gone = removed.get(pid)
                if gone is not None and gone > index:
                    matched.add(pid)
                    continue
                if _procedure(
                    r, m, doc.get("events"), shown, compiler, departments, events, procedures, seen
                ):
                    kept.append(plain(m))
            out = {k: plain(v) for k, v in doc.items() if k != "procedures"}
            out["procedures"] = kept
            name = rel
            if name in docs:  # an overlay's file named like one of its base's
                name = f"procedures/{layer.root.name}-{Path(rel).name}"
            docs[name] = out
    for pid, index in removed.items():
        if pid not in matched:
            meta = layers[index].meta
            r.report(
                meta.file,
                meta.line_of("remove"),
                f"remove の「{pid}」という手続は基のカタログにありません",
            )
    return docs


def _removals(r: _Reader, layers) -> dict[str, int]:
    """{procedure id: index of the layer that removes it}."""
    out = {}
    for index, layer in enumerate(layers):
        items = layer.meta.get("remove")
        if items is None:
            continue
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            r.report(
                layer.meta.file,
                layer.meta.line_of("remove"),
                "remove は手続IDの一覧で書いてください",
            )
            continue
        for pid in items:
            out[pid] = index
    return out


def _show(layer: _Layer, top: _Layer, rel: str) -> str:
    """How a procedure's file is named in messages: relative to the pack asked for."""
    if layer is top:
        return rel
    return os.path.relpath(layer.root / rel, top.root)


def _procedure(
    r: _Reader, m, default_events, shown, compiler, departments, events, procedures, seen
) -> bool:
    """Check one YAML entry and add its variants; False (problems reported) when it is not usable."""
    before = len(r.problems)
    if not r.keys(m, "手続", _PROC_KEYS, ("id", "department", "kind", "title", "when")):
        return False
    try:
        pid = r.ident(m, "id", "手続")
    except PackError as e:
        r.problems.append(_problem(e))
        return False
    evs = m.get("events", default_events)
    if isinstance(evs, str):
        evs = [evs]
    if not evs:
        r.problems.append(_problem(r.fail(m, f"手続「{pid}」の events がありません", "id")))
        evs = []
    for e in evs:
        if e not in events:
            r.problems.append(
                _problem(
                    r.fail(
                        m, f"「{e}」というイベントはありません", "events" if "events" in m else "id"
                    )
                )
            )
    evs = [e for e in evs if e in events]
    dept, kind = m["department"], m["kind"]
    checks = []
    if dept not in departments:
        checks.append((f"「{dept}」という担当課はありません（departments.yaml）", "department"))
    if kind not in KINDS:
        checks.append((f"種類「{kind}」は使えません（{', '.join(KINDS)}）", "kind"))
    per = m.get("per", "person")
    if per not in ("visit", "person"):
        checks.append((f"per は visit か person です（「{per}」）", "per"))
        per = "person"
    if per == "visit" and "over" in m:
        checks.append(("来庁ごと（per: visit）の手続に over は書けません", "over"))
    form = m.get("form")
    if kind == "form" and not form:
        checks.append((f"手続「{pid}」は申請書（form）なので form のIDが必要です", "kind"))
    bring = m.get("bring") or []
    if not isinstance(bring, list) or not all(isinstance(b, str) for b in bring):
        checks.append(("bring（持ち物）は文字の一覧で書いてください", "bring"))
        bring = []
    for message, key in checks:
        r.problems.append(_problem(r.fail(m, message, key)))
    title = reason = ""
    with r.collect():
        title = _fill(r, m, "title", r.text(m, "title", "手続"), compiler.settings)
    with r.collect():
        reason = _fill(r, m, "reason", str(m.get("reason") or ""), compiler.settings)
    with r.collect():
        bring = [_fill(r, m, "bring", b, compiler.settings) for b in bring]
    rule = _compile(r, compiler, m, "when", person=per == "person")
    over_rule = (
        _compile(r, compiler, m, "over", person=True, default="subject")
        if per == "person"
        else None
    )
    deadline = None
    with r.collect():
        deadline = _deadline(r, m, compiler.facts)
    proc = procedures.get(pid)
    if proc is not None and (proc.department, proc.kind) != (dept, kind):
        first = proc.variants[0]
        r.problems.append(
            _problem(
                r.fail(
                    m,
                    f"手続「{pid}」の担当課・種類が {first.file} {first.line}行目の定義と違います",
                    "department",
                )
            )
        )
    for e in evs:
        if (pid, e) in seen:
            f, line = seen[(pid, e)]
            r.problems.append(
                _problem(
                    r.fail(
                        m,
                        f"手続「{pid}」がイベント {e} について2回定義されています（最初は {f} {line}行目）",
                        "id",
                    )
                )
            )
        else:
            seen[(pid, e)] = (shown, m.line)
    if len(r.problems) > before:
        return False
    if proc is None:
        proc = procedures[pid] = Procedure(pid, dept, kind, title, len(procedures))
    for e in evs:
        proc.variants.append(
            Variant(
                procedure=pid,
                event=e,
                per=per,
                title=title,
                form=form,
                bring=tuple(bring),
                deadline=deadline,
                when=str(m["when"]),
                over=str(m.get("over", "subject")) if per == "person" else "",
                reason=reason,
                file=shown,
                line=m.line,
                rule=rule,
                over_rule=over_rule,
                note=str(m.get("note") or ""),
                entry_events=tuple(evs),
                when_line=m.line_of("when"),
            )
        )
    return True


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
