"""load_pack and check_pack: a pack's folder read, merged with its bases and checked as one.

`load_pack` reads and checks all of it once; every rule is compiled then, so navigating
is only running compiled nodes. `check_pack` returns every problem (file, line, message);
`load_pack` raises the first as a PackError.
"""

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from catalog import yamlio
from catalog.pack.model import (
    FACT_TYPES,
    KINDS,
    MOVES,
    SCOPES,
    Deadline,
    Event,
    Fact,
    Pack,
    PackError,
    PackProblem,
    ProcedureDef,
    Variant,
)
from catalog.pack.overlay import (
    MUNICIPALITY_KEYS,
    Layer,
    layered_items,
    merge_departments,
    merge_municipality,
    merge_settings,
    read_layers,
    removals,
    shown_name,
)
from catalog.pack.reader import Reader, plain, problem
from catalog.rules import RESERVED, Compiler, Node, PackDerived, RuleError
from lib import lgcode
from lib.text import DIGIT_WIDTHS

# `{setting.name}` in a title, reason or bring item shows the municipality's value.
_SETTING_REF = re.compile(r"\{setting\.([A-Za-z0-9_]+)\}")
_PERIOD = re.compile(r"^(\d+)\s*([dmy])$")
_EVENT_KEYS = ("id", "name", "subjects", "note", "move", "abroad")
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
    "only_if",
    "one_per_household",
    "checklist",
    "forms",
    "ask_if",
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
    "late",
)


def load_pack(path: Path | str) -> Pack:
    """The pack at `path` (a folder, possibly an overlay); PackError on the first problem."""
    pack, problems = _read(Path(path))
    errors = [p for p in problems if p.kind == "error"]
    if errors:
        first = errors[0]
        raise PackError(first.file, first.line, first.message, errors)
    return pack


# Checks of files next to a pack that apps above the catalog read (printing: the form
# templates and their blank PDFs), registered by those apps at start-up; each takes the
# pack's folder and returns its problems. `madoguchi catalog check` runs them with the rest.
FILE_CHECKS: list[Callable[[Path], list[PackProblem]]] = []


def register_file_check(check: Callable[[Path], list[PackProblem]]) -> None:
    if check not in FILE_CHECKS:
        FILE_CHECKS.append(check)


def check_pack(path: Path | str) -> list[PackProblem]:
    """Every problem of the pack at `path`: errors, then rules that can never apply."""
    from catalog.lint import never_applies_problems

    pack, problems = _read(Path(path))
    if pack is not None:
        problems += never_applies_problems(pack)
        for check in FILE_CHECKS:
            problems += check(Path(path))
    return problems


def _read(root: Path) -> tuple[Pack | None, list[PackProblem]]:
    r = Reader()
    layers = read_layers(r, root)
    if not layers:
        return None, r.problems
    top = layers[-1]
    settings = merge_settings(r, layers)
    _check_setting_choices(r, layers)
    municipality = merge_municipality(r, layers)
    _check_municipality(r, layers, municipality)

    departments, dept_docs = merge_departments(r, layers)
    facts, fact_docs, limited = _facts(r, layers)
    event_items = layered_items(r, layers, "events.yaml", "events", "イベント")
    derived_docs = [
        r.load(layer, "derived.yaml", optional=layer.depth != layers[0].depth) for layer in layers
    ]
    if departments is None or facts is None or event_items is None or derived_docs[0] is None:
        # A core file could not be read: every rule would report the same gap again.
        return None, r.problems

    event_names, moves = {}, {}
    for m in event_items:
        with r.collect():
            if not r.keys(m, "イベント", _EVENT_KEYS, ("id", "name", "subjects")):
                continue
            eid = r.ident(m, "id", "イベント")
            if eid in event_names:
                raise r.fail(m, f"イベントID「{eid}」が2回定義されています", "id")
            event_names[eid] = r.text(m, "name", "イベント")
        if isinstance(m, dict) and m.get("id") in event_names and m["id"] not in moves:
            with r.collect():
                moves[m["id"]] = _move(r, m)

    phrases, derived_items = _phrases(r, derived_docs)
    compiler = Compiler(facts, event_names, phrases, settings)
    _pack_derived(r, derived_items, compiler, facts)
    compiler.defining_subjects = True  # `only_if` is about the person, not one event
    for fid, m in limited.items():
        for key in ("only_if", "ask_if"):
            if key in m:
                rule = _compile(r, compiler, m, key, person=facts[fid].scope == "person")
                setattr(facts[fid], f"{key}_rule", rule)
    compiler.defining_subjects = False

    events = {}
    compiler.defining_subjects = True
    for m in event_items:
        eid = m.get("id") if isinstance(m, dict) else None
        if eid not in event_names or eid in events:
            continue
        rule = _compile(r, compiler, m, "subjects", person=True)
        move, abroad = moves.get(eid, (None, False))
        events[eid] = Event(
            id=eid,
            name=event_names[eid],
            subjects=str(m["subjects"]),
            note=str(m.get("note") or ""),
            subject_rule=rule,
            move=move,
            abroad=abroad,
        )
    compiler.defining_subjects = False

    procedures: dict[str, ProcedureDef] = {}
    proc_docs = _procedure_files(r, layers, compiler, departments, events, procedures)
    by_event: dict[str, list[Variant]] = {e: [] for e in events}
    for proc in procedures.values():
        for v in proc.variants:
            by_event[v.event].append(v)
    # The navigator walks variants in the pack's procedure order.
    for variants in by_event.values():
        variants.sort(key=lambda v: procedures[v.procedure].order)

    guide_docs = _guides(r, layers, procedures)
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
        **({"guides.yaml": {"guides": guide_docs}} if guide_docs else {}),
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


def _move(r: Reader, m) -> tuple[str | None, bool]:
    """(move, abroad) of an event entry: what it does to the register, as events.yaml says."""
    eid = m["id"]
    move = m.get("move")
    if move is not None and move not in MOVES:
        raise r.fail(
            m, f"イベント「{eid}」の move「{move}」は使えません（{', '.join(MOVES)}）", "move"
        )
    abroad = m.get("abroad", False)
    if not isinstance(abroad, bool):
        raise r.fail(
            m, f"イベント「{eid}」の abroad「{abroad}」は true か false で書いてください", "abroad"
        )
    if abroad and move is None:
        raise r.fail(
            m, f"イベント「{eid}」は abroad: true ですが move（in か out）がありません", "abroad"
        )
    return move, abroad


def _check_municipality(r: Reader, layers: list[Layer], municipality: dict) -> None:
    """The municipality block: code (全国地方公共団体コード), name and pref, all as text.

    Settings read it at start-up (settings.MUNICIPALITY): the forms' あて先, the slip, the
    address search and the second factor's issuer name this city.
    """
    top = layers[-1].meta

    def where(key):
        # The layer that wrote the key last, for the line the author has to fix.
        for layer in reversed(layers):
            block = layer.meta.get("municipality")
            if isinstance(block, dict) and key in block:
                return block.file, block.line_of(key)
        return top.file, top.line_of("municipality") if "municipality" in top else 0

    if not any("municipality" in layer.meta for layer in layers):
        r.report(top.file, 0, "municipality（code・name・pref）がありません")
        return
    for key in municipality:
        if key not in MUNICIPALITY_KEYS:
            r.report(
                *where(key),
                f"municipality に不明な項目「{key}」があります"
                f"（使える項目: {', '.join(MUNICIPALITY_KEYS)}）",
            )
    for key in MUNICIPALITY_KEYS:
        value = municipality.get(key)
        if value in (None, ""):
            r.report(*where(key), f"municipality に「{key}」がありません")
        elif not isinstance(value, str):
            r.report(*where(key), f"municipality の {key} は文字で書いてください（「{value}」）")
    code = municipality.get("code")
    if isinstance(code, str) and code and not lgcode.is_valid(code):
        if re.fullmatch(r"\d{6}", code):
            why = f"6桁目の検査数字は {lgcode.check_digit(code[:5])} のはずです"
        else:
            why = "数字6桁で書いてください"
        r.report(
            *where("code"),
            f"municipality の code「{code}」は全国地方公共団体コードではありません（{why}）",
        )


def _forms(r: Reader, layers) -> dict[str, str]:
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
                _check_template_digits(r, path, data)
    return out


DIGITS_HELP = "full（全角: 令和８年４月１０日）・half（半角: 令和8年4月10日）のどちらか"


HOLIDAYS_HELP = "closed（祝日・年末年始は閉庁）・open（開庁）のどちらか"
SETTING_CHOICES = {
    # The pack-wide digit width of the printed forms.
    "form_digits": (DIGIT_WIDTHS, DIGITS_HELP),
    # Whether the offices (the kiosk) open on national holidays and at 年末年始 (queues.hours).
    "office_holidays": (("closed", "open"), HOLIDAYS_HELP),
}


def _check_setting_choices(r: Reader, layers) -> None:
    """Settings that take one of a few words (SETTING_CHOICES), named with file and line."""
    for layer in layers:
        s = layer.meta.get("settings")
        if not isinstance(s, dict):
            continue
        for key, (allowed, help_text) in SETTING_CHOICES.items():
            if key in s and s[key] not in allowed:
                r.report(s.file, s.line_of(key),
                         f"設定 {key}「{s[key]}」は使えません（{help_text}）")  # fmt: skip


def _check_template_digits(r: Reader, path: Path, data: bytes) -> None:
    """A form template's `digits` (printing reads the rest of the template; a wrong value
    here would otherwise surface only when the form is printed)."""
    try:
        doc = yamlio.loads(data)
    except yamlio.YamlProblem:
        return  # the template's own problem: printing's loader names it
    if isinstance(doc, dict) and "digits" in doc and doc["digits"] not in DIGIT_WIDTHS:
        r.report(path, doc.line_of("digits"),
                 f"様式の digits「{doc['digits']}」は使えません（{DIGITS_HELP}）")  # fmt: skip


def _facts(r: Reader, layers):
    items = layered_items(r, layers, "facts.yaml", "facts", "事実")
    if items is None:
        return None, None, {}
    out: dict[str, Fact] = {}
    docs = []
    limited = {}  # facts with an `only_if`/`ask_if` rule, compiled once the compiler exists
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
            if "only_if" in m and m["type"] not in ("bool", "set"):
                raise r.fail(m, "only_if ははい・いいえと集合の事実にだけ書けます", "only_if")
            one = m.get("one_per_household", False)
            if not isinstance(one, bool) or (one and (m["type"], m["scope"]) != ("bool", "person")):
                raise r.fail(
                    m,
                    "one_per_household は人のはい・いいえの事実に true か false で書いてください",
                    "one_per_household",
                )
            checklist = m.get("checklist", False)
            if not isinstance(checklist, bool) or (checklist and m["type"] not in ("bool", "set")):
                raise r.fail(
                    m, "checklist ははい・いいえと集合の事実に true か false で書いてください",
                    "checklist",
                )  # fmt: skip
            forms = m.get("forms") or []
            if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
                raise r.fail(m, "forms は様式IDのリストで書いてください", "forms")
            if "ask_if" in m and not forms:
                raise r.fail(m, "ask_if は forms のある事実にだけ書けます", "ask_if")
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
                only_if=str(m.get("only_if") or ""),
                one_per_household=one,
                checklist=checklist,
                forms=tuple(forms),
                ask_if=str(m.get("ask_if") or ""),
            )
            if "only_if" in m or "ask_if" in m:
                limited[fid] = m
            docs.append(plain(m))
    return out, docs, limited


def _phrases(r: Reader, docs):
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


def _pack_derived(r: Reader, items, compiler: Compiler, facts):
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


def _compile(r: Reader, compiler: Compiler, m, key, *, person: bool, default=None) -> Node | None:
    """The compiled rule, or None after reporting why it does not compile."""
    source = m.get(key, default)
    try:
        return compiler.compile(source, person=person)
    except RuleError as e:
        r.report(m.file, m.line_of(key) + e.line, f"{e.message}（{key}: {source}）")
        return None


def _deadline(r: Reader, m, facts) -> Deadline | None:
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


def _fill(r: Reader, m, key, text: str, settings) -> str:
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


def _procedure_files(r: Reader, layers, compiler, departments, events, procedures) -> dict:
    """Read every layer's procedure files; return the merged files as plain data by name."""
    removed = removals(r, layers)
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
            shown = shown_name(layer, layers[-1], rel)
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


def _procedure(
    r: Reader, m, default_events, shown, compiler, departments, events, procedures, seen
) -> bool:
    """Check one YAML entry and add its variants; False (problems reported) when it is not usable."""
    before = len(r.problems)
    if not r.keys(m, "手続", _PROC_KEYS, ("id", "department", "kind", "title", "when")):
        return False
    try:
        pid = r.ident(m, "id", "手続")
    except PackError as e:
        r.problems.append(problem(e))
        return False
    evs = m.get("events", default_events)
    if isinstance(evs, str):
        evs = [evs]
    if not evs:
        r.problems.append(problem(r.fail(m, f"手続「{pid}」の events がありません", "id")))
        evs = []
    for e in evs:
        if e not in events:
            r.problems.append(
                problem(
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
        r.problems.append(problem(r.fail(m, message, key)))
    title = reason = ""
    with r.collect():
        title = _fill(r, m, "title", r.text(m, "title", "手続"), compiler.settings)
    with r.collect():
        reason = _fill(r, m, "reason", str(m.get("reason") or ""), compiler.settings)
    late = ""
    with r.collect():
        late = _fill(r, m, "late", str(m.get("late") or ""), compiler.settings)
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
            problem(
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
                problem(
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
        proc = procedures[pid] = ProcedureDef(pid, dept, kind, title, len(procedures))
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
                late=late,
            )
        )
    return True


GUIDE_KEYS = ("why", "check", "mistakes")


def _guides(r: Reader, layers, procedures) -> list[dict]:
    """Each layer's optional guides.yaml: per procedure, why it exists, what to check and the
    common mistakes. A later layer (the municipality's) replaces an item key by key."""
    for layer in layers:
        doc = r.load(layer, "guides.yaml", optional=True)
        if doc is None:
            continue
        for m in r.items(doc, "guides", "手引き"):
            with r.collect():
                if not r.keys(m, "手引き", ("id", *GUIDE_KEYS), ("id",)):
                    continue
                pid = r.ident(m, "id", "手引き")
                if pid not in procedures:
                    if layer is not layers[-1]:
                        continue  # a base's note on a procedure this overlay removed
                    raise r.fail(m, f"手引きの「{pid}」という手続はありません", "id")
                for key in GUIDE_KEYS:
                    if key in m:
                        procedures[pid].guide[key] = str(m[key] or "").strip()
    return [{"id": pid, **proc.guide} for pid, proc in procedures.items() if proc.guide]


@cache
def _load_default(path: str) -> Pack:
    return load_pack(path)


def default_dir() -> Path:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from tenants import scope

    try:
        if scope.current_id() != scope.DEFAULT:
            # Another municipality runs on its own pack (an overlay on the shared one).
            from tenants.models import Tenant

            return Path(Tenant.get(scope.current_id()).pack_dir())
        return Path(settings.CATALOG_DIR)
    except (ImproperlyConfigured, AttributeError):
        # Outside Django (scripts, pure tests): the pack that ships with the code.
        return Path(__file__).resolve().parents[2] / "catalogs" / "default"


def default_pack() -> Pack:
    """The current tenant's pack, each loaded once per process (the web must not reload it)."""
    return _load_default(str(default_dir()))
