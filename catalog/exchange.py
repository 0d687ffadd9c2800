"""Packs between municipalities: one-file export, import into a folder, and a diff report.

The export is one YAML document (docs/catalog-pack.md, 「書き出しファイル」):

    format: madoguchi-catalog/1
    name: 標準カタログ（デモ市・北見市）
    version: 2026.1+5ec7f23a        # the exported pack's version, digest included
    files:
      pack.yaml: {name: …, version: "2026.1", settings: {…}, procedures: [...]}
      departments.yaml: {departments: [...]}
      procedures/death.yaml: {events: [death], procedures: [...]}

`files` holds the pack as loaded: an overlay is merged with its base (removed procedures
left out, renamed departments applied), so the file is self-contained. The printing app's
form templates (forms/*.yaml) travel as text. Import writes the files back as a plain pack
whose pack.yaml keeps `source:` (where it came from). YAML comments of the pack files are
not carried; notes that matter belong in `note:` keys. Files that are not YAML (a form's
blank PDF) are not carried: `left_out` names them.
"""

import re
import tempfile
from pathlib import Path, PurePosixPath

import yaml

from catalog import yamlio
from catalog.describe import rule_text
from catalog.pack import Pack, load_pack, plain

FORMAT = "madoguchi-catalog/1"
_CORE = ("pack.yaml", "departments.yaml", "events.yaml", "facts.yaml", "derived.yaml")
# Optional files at the top of a pack, carried when the pack has them.
_OPTIONAL = ("guides.yaml",)
# Settings of the default pack, by what they mean (diff reports them in these words).
SETTING_LABELS = {
    "kodomo_iryo_age": "子ども医療費助成の対象年齢（その年齢の年度末まで）",
    "setainushi_henko_min_remaining": "世帯主変更届を案内する残る15歳以上の世帯員の数",
    "kokuho_sosaihi_amount": "国民健康保険の葬祭費（円）",
    "koki_sosaihi_amount": "後期高齢者医療の葬祭費（円）",
}


_MUNICIPALITY = {"code": "団体コード", "name": "名前", "pref": "都道府県"}


class ExchangeError(Exception):
    """An export file that cannot be imported; str() names the file and line."""


class _Dumper(yaml.SafeDumper):
    pass


# Text that a YAML 1.2 reader would take for a number ("019999", "2026.1") is quoted.
_NUMBERLIKE = re.compile(r"^[-+]?[0-9][0-9_.:eE+-]*$")


def _str(dumper, value: str):
    # Multi-line rules stay readable as block scalars.
    style = "|" if "\n" in value else "'" if _NUMBERLIKE.match(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def export_data(pack: Pack) -> dict:
    return {
        "format": FORMAT,
        "name": pack.name,
        "version": pack.version,
        "municipality": dict(pack.municipality),
        "files": plain(pack.documents),
    }


def export_pack(pack: Pack, out: Path) -> None:
    header = (
        "# Madoguchi カタログの書き出し（docs/catalog-pack.md）。\n"
        "# madoguchi catalog import このファイル -o フォルダ で元の形に戻せます。\n"
    )
    Path(out).write_text(header + dump(export_data(pack)), encoding="utf-8")


def read_export(path: Path) -> dict[str, object]:
    """{file name: data} of an export file, every name checked to stay inside the pack."""
    path = Path(path)
    try:
        doc = yamlio.load(path)
    except OSError as e:
        raise ExchangeError(f"{path}: ファイルが読めません（{e.strerror}）") from None
    except yamlio.YamlProblem as e:
        raise ExchangeError(f"{path} {e.line}行目: {e.message}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ExchangeError(
            f"{path}: カタログの書き出しファイルではありません（format: {FORMAT} がありません）"
        )
    files = doc.get("files")
    if not isinstance(files, dict) or "pack.yaml" not in files:
        raise ExchangeError(f"{path}: files に pack.yaml がありません")
    for name in files:
        if not _safe(name):
            line = files.line_of(name)
            raise ExchangeError(
                f"{path} {line}行目: ファイル名「{name}」は使えません"
                "（pack.yaml などの5つと guides.yaml、procedures/*.yaml だけです）"
            )
    source = {"name": doc.get("name"), "version": doc.get("version")}
    out = {name: plain(data) for name, data in files.items()}
    out["pack.yaml"] = {**out["pack.yaml"], "source": source}
    return out


def _safe(name) -> bool:
    # An export comes from another city: its names must not write outside the folder.
    if not isinstance(name, str) or "\\" in name:
        return False
    p = PurePosixPath(name)
    if name in _CORE or name in _OPTIONAL:
        return True
    return (
        len(p.parts) == 2
        and p.parts[0] in ("procedures", "forms")
        and p.suffix == ".yaml"
        and p.name[0] != "."
    )


def import_pack(path: Path, out: Path) -> Path:
    """Write the export at `path` as a pack folder `out` (which must be empty or new)."""
    files = read_export(path)
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise ExchangeError(
            f"{out}: フォルダが空ではありません（新しいフォルダを指定してください）"
        )
    (out / "procedures").mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).parent.mkdir(exist_ok=True)
        # Form templates travel as their text (printing reads them with its own loader).
        text = data if isinstance(data, str) else dump(data)
        (out / name).write_text(text, encoding="utf-8")
    return out


def left_out(pack: Pack) -> list[Path]:
    """Files of the pack an export cannot carry (a form's blank PDF, …)."""
    return [
        f
        for f in pack.files
        if "forms" in f.parts and not (f.suffix == ".yaml" and f.parent.name == "forms")
    ]


def open_pack(path: Path) -> Pack:
    """A pack folder, or an export file unpacked into a temporary folder first."""
    path = Path(path)
    if path.is_file():
        with tempfile.TemporaryDirectory(prefix="madoguchi-pack-") as tmp:
            return load_pack(import_pack(path, Path(tmp) / "pack"))
    return load_pack(path)


# --- diff ----------------------------------------------------------------------------


def diff_packs(a: Pack, b: Pack) -> list[str]:
    """What B does differently from A, as Japanese lines grouped under ■ headings."""
    sections = [
        ("カタログ", _meta(a, b)),
        ("設定", _settings(a, b)),
        ("担当課・窓口", _departments(a, b)),
        ("届出の種類", _named(a.events, b.events, lambda e: e.name)),
        ("事実（聞き取る項目）", _named(a.facts, b.facts, lambda f: f.label)),
        ("手続の追加（B だけにある）", _procs_only(b, a)),
        ("手続の削除（A だけにある）", _procs_only(a, b)),
        ("手続の変更", _procs_changed(a, b)),
    ]
    lines = [f"A: {a.name}（{a.version}）", f"B: {b.name}（{b.version}）"]
    if not any(body for _, body in sections):
        return [*lines, "", "違いはありません。"]
    for title, body in sections:
        if body:
            lines += ["", f"■ {title}", *body]
    return lines


def _meta(a: Pack, b: Pack) -> list[str]:
    out = []
    if a.name != b.name:
        out.append(f"  名前: {a.name} → {b.name}")
    for key in dict.fromkeys([*a.municipality, *b.municipality]):
        va, vb = a.municipality.get(key), b.municipality.get(key)
        if va != vb:
            out.append(f"  自治体の{_MUNICIPALITY.get(key, key)}: {_v(va)} → {_v(vb)}")
    return out


def _v(value) -> str:
    return "（なし）" if value is None or value == "" else str(value)


def _settings(a: Pack, b: Pack) -> list[str]:
    out = []
    for key in dict.fromkeys([*a.settings, *b.settings]):
        va, vb = a.settings.get(key), b.settings.get(key)
        if va != vb:
            label = f"{SETTING_LABELS[key]}（{key}）" if key in SETTING_LABELS else key
            out.append(f"  {label}: {_v(va)} → {_v(vb)}")
    return out


def _departments(a: Pack, b: Pack) -> list[str]:
    out = []
    for did in dict.fromkeys([*a.departments, *b.departments]):
        da, db = a.departments.get(did), b.departments.get(did)
        if db is None:
            out.append(f"  - {did} {da.name}: B にはありません")
        elif da is None:
            out.append(f"  + {did} {db.name}（{db.location}）: B で追加")
        else:
            if da.name != db.name:
                out.append(f"  {did}: 名前「{da.name}」→「{db.name}」")
            if da.location != db.location:
                out.append(f"  {did} {db.name}: 窓口「{da.location}」→「{db.location}」")
    return out


def _named(xs: dict, ys: dict, name) -> list[str]:
    out = [f"  - {k} {name(v)}: B にはありません" for k, v in xs.items() if k not in ys]
    out += [f"  + {k} {name(v)}: B で追加" for k, v in ys.items() if k not in xs]
    for k in xs.keys() & ys.keys():
        if name(xs[k]) != name(ys[k]):
            out.append(f"  {k}: 「{name(xs[k])}」→「{name(ys[k])}」")
    return sorted(out, key=lambda line: line.lstrip(" +-"))


def _events(pack: Pack, events) -> str:
    return "・".join(pack.events[e].name if e in pack.events else e for e in events)


def _procs_only(x: Pack, y: Pack) -> list[str]:
    out = []
    for pid, proc in x.procedures.items():
        if pid not in y.procedures:
            dept = x.departments[proc.department].name
            out.append(f"  {pid}（{_events(x, proc.events)}）: {proc.title} — {dept}")
            for v in _entries(proc):
                out.append(f"      規則: {_when(v)}（{rule_text(v.rule)}）")
    return out


def _entries(proc):
    """One variant per YAML entry: the events of an entry share one rule."""
    return list({(v.file, v.line): v for v in proc.variants}.values())


def _when(v) -> str:
    return " ".join(str(v.when).split())


def _procs_changed(a: Pack, b: Pack) -> list[str]:
    out = []
    for pid, pa in a.procedures.items():
        pb = b.procedures.get(pid)
        if pb is None:
            continue
        changes = []
        if pa.department != pb.department:
            changes.append(
                f"担当課 {a.departments[pa.department].name} → {b.departments[pb.department].name}"
            )
        if pa.kind != pb.kind:
            changes.append(f"種類 {pa.kind} → {pb.kind}")
        va = {v.event: v for v in pa.variants}
        vb = {v.event: v for v in pb.variants}
        for e in va.keys() - vb.keys():
            changes.append(f"{_events(a, [e])}では扱わない")
        for e in vb.keys() - va.keys():
            changes.append(f"{_events(b, [e])}でも扱う（規則: {_when(vb[e])}）")
        for e in [e for e in va if e in vb]:
            for line in _variant_changes(a, b, va[e], vb[e]):
                changes.append(f"{_events(a, [e])}: {line}")
        if changes:
            out.append(f"  {pid} {pb.title}")
            # The same change for several events of one entry is said once.
            out += [f"      {c}" for c in _merge_events(changes)]
    return out


def _merge_events(changes: list[str]) -> list[str]:
    by_text: dict[str, list[str]] = {}
    for c in changes:
        event, sep, rest = c.partition(": ")
        key = rest if sep else c
        by_text.setdefault(key, []).append(event if sep else "")
    return [
        (f"{'・'.join(e for e in events if e)}: {text}" if any(events) else text)
        for text, events in by_text.items()
    ]


def _variant_changes(a: Pack, b: Pack, x, y) -> list[str]:
    out = []
    ta, tb = rule_text(x.rule), rule_text(y.rule)
    if _when(x) != _when(y):
        out.append(f"規則「{_when(x)}」→「{_when(y)}」（{ta} → {tb}）")
    elif ta != tb:
        # Same text, other meaning: a setting or a derived value the rule uses differs.
        out.append(f"規則の内容（設定による）「{ta}」→「{tb}」")
    if x.per != y.per or x.over != y.over:
        out.append(f"対象 {x.per}/{x.over or '-'} → {y.per}/{y.over or '-'}")
    da = x.deadline.describe(_labels(a)) if x.deadline else "期限なし"
    db = y.deadline.describe(_labels(b)) if y.deadline else "期限なし"
    if da != db:
        out.append(f"期限 {da} → {db}")
    if x.title != y.title:
        out.append(f"件名「{x.title}」→「{y.title}」")
    if x.form != y.form:
        out.append(f"様式 {_v(x.form)} → {_v(y.form)}")
    if x.bring != y.bring:
        gone = [i for i in x.bring if i not in y.bring]
        new = [i for i in y.bring if i not in x.bring]
        parts = [f"-「{i}」" for i in gone] + [f"+「{i}」" for i in new]
        out.append(f"持ち物 {' '.join(parts) or '（順序）'}")
    if x.reason != y.reason:
        out.append(f"理由の文「{_v(x.reason)}」→「{_v(y.reason)}」")
    return out


def _labels(pack: Pack) -> dict:
    return {f.id: f.label for f in pack.facts.values()}
