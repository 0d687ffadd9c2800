"""Form templates as data: catalogs/<pack>/forms/<form id>.yaml, one per `form` of the pack.

    kind: generic      an A4 form laid out from `sections` (applicant, subject, fields,
                       table, procedure, signature, note)
    kind: municipal    the municipality's blank PDF (`background`) with `fields` drawn over
                       it at positions in mm; a field may name an AcroForm field instead
    kind: dedicated    a form with its own layout in code (the 住民異動届)
    kind: slip_only    no sheet in the packet: a 戸籍 届書 (the A3 official form, written at
                       the 戸籍 counter), or a notice another form already makes; `note`
                       goes on the guidance slip instead

Each kind is drawn by its module in printing/layouts/, which registers it; the kinds accepted
here are the registered ones. docs/printing.md describes every key. The catalog loader does not know about forms; this
module reads the folder next to the pack's procedures.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tenants import scope

from .dictionary import Format, UnknownField, get_field

SECTIONS = ("applicant", "subject", "fields", "table", "choice", "procedure", "signature", "note")
# Whom an `applicant` section shows: the one at the counter, the procedure's person (the
# 請求者 of 児童手当 is the parent who claims it), or the 世帯主 (国保 is the head's to file).
APPLICANT_PERSONS = ("applicant", "subject", "head")
TABLE_PEOPLE = ("movers", "all", "others", "children", "procedure")


class TemplateError(ValueError):
    pass


@dataclass(frozen=True)
class Box:
    """One value on a form: where it goes (municipal) and how it is written."""

    field: str | None  # a data dictionary id; None for a signature box
    label: str = ""
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    size: float = 10.5
    align: str = "L"
    shrink: bool = True  # shrink to the width rather than overflow (long addresses)
    render: str = "text"  # text | check | choices | signature
    choice: str | None = None  # render: check — the choice whose box this is
    fmt: Format = Format()
    acroform: str | None = None  # position taken from this AcroForm field's rectangle
    page: int = 1
    width: float = 0.0  # table column width


@dataclass(frozen=True)
class Option:
    """One checkbox of a `choice` section (申請の理由, 取得する種別…) and when it is ticked:
    the procedure is one of `procedures`, the visit has one of `events`, and the subject's
    facts are as `facts` says; a condition left out holds. The first option that holds is
    ticked, none when none does (the resident ticks it); an option with no condition at all
    (その他) is never ticked."""

    label: str
    procedures: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    facts: tuple[tuple[str, object], ...] = ()


@dataclass
class Section:
    type: str
    label: str = ""
    boxes: list[Box] = field(default_factory=list)
    people: str = "movers"  # table: movers | all | others | children | procedure
    rows: int = 6
    text: str = ""
    options: list[Option] = field(default_factory=list)  # choice
    person: str = "applicant"  # applicant: applicant | subject | head


@dataclass
class FormTemplate:
    id: str
    kind: str
    title: str = ""
    sections: list[Section] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)  # municipal
    background: str = ""  # municipal: a PDF in the forms folder…
    generate: str = ""  # …or the name of a blank made by printing.blanks
    layout: str = ""  # dedicated
    # household: one form for the procedure's people together (国保), not one per person
    per: str = "person"
    note: str = ""  # slip_only: what the guidance slip says instead of a printed form
    slip_label: str = ""  # slip_only: the slip's 区分 instead of 「申請書」
    path: Path | None = None

    def bound_fields(self) -> list[str]:
        out = [b.field for b in self.boxes if b.field]
        for s in self.sections:
            out += [b.field for b in s.boxes if b.field]
        return out


def _fmt(d: dict) -> Format:
    return Format(**{k: d[k] for k in ("date", "digits", "kana") if k in d})


def _box(d: dict | str, where: str) -> Box:
    if isinstance(d, str):
        d = {"field": d}
    if not isinstance(d, dict):
        raise TemplateError(f"{where}: 項目はデータ項目のIDか、field・x・y… の組で書きます")
    fid = d.get("field")
    if fid is not None and not isinstance(fid, str):
        raise TemplateError(f"{where}: field はデータ項目のIDです（{fid!r}）")
    render = d.get("render", "signature" if d.get("signature") else "text")
    if fid is not None:
        try:
            f = get_field(fid)
        except UnknownField as e:
            raise TemplateError(f"{where}: {e.args[0]}") from None
        if render == "text" and f.kind in ("bool", "choice") and "render" not in d:
            render = "choices"
    elif render != "signature":
        raise TemplateError(f"{where}: field がありません")
    label = d.get("label") or (get_field(fid).label if fid else "署名")
    try:
        return _placed_box(d, fid, label, render)
    except (TypeError, ValueError, OverflowError):
        raise TemplateError(
            f"{where}: x・y・w・h・size・width・page は数値、align は L・C・R で書きます"
            f"（{fid or '署名'}）"
        ) from None


def _number(value) -> float:
    n = float(value)
    if not math.isfinite(n):
        raise ValueError(value)
    return n


def _placed_box(d: dict, fid, label, render) -> Box:
    if d.get("align", "L") not in ("L", "C", "R"):
        raise ValueError(d.get("align"))
    return Box(
        field=fid, label=label, x=_number(d.get("x", 0)), y=_number(d.get("y", 0)),
        w=_number(d.get("w", 0)), h=_number(d.get("h", 0)), size=_number(d.get("size", 10.5)),
        align=d.get("align", "L"), shrink=bool(d.get("shrink", True)), render=render,
        choice=None if d.get("choice") is None else str(d.get("choice")), fmt=_fmt(d),
        acroform=d.get("acroform"), page=int(d.get("page", 1)), width=_number(d.get("width", 0)),
    )  # fmt: skip


def _option(d, where: str) -> Option:
    if isinstance(d, str):
        d = {"label": d}
    if not isinstance(d, dict) or not isinstance(d.get("label"), str):
        raise TemplateError(f"{where}: 選択肢は label（と procedures・events・facts）で書きます")
    facts = d.get("facts") or {}
    if not isinstance(facts, dict):
        raise TemplateError(f"{where}: facts は 事実ID: 値 の組で書きます")

    def ids(key):
        v = d.get(key) or []
        return (v,) if isinstance(v, str) else tuple(str(x) for x in v)

    return Option(d["label"], ids("procedures"), ids("events"), tuple(facts.items()))


def parse_template(form_id: str, raw: dict, path: Path | None = None) -> FormTemplate:
    where = str(path or form_id)
    from .layouts import RENDERERS

    kind = raw.get("kind")
    if kind not in RENDERERS:
        raise TemplateError(f"{where}: kind は {'・'.join(RENDERERS)} のどれかです（{kind!r}）")
    t = FormTemplate(id=form_id, kind=kind, title=raw.get("title", ""), path=path,
                     background=raw.get("background", ""), generate=raw.get("generate", ""),
                     layout=raw.get("layout", ""), per=raw.get("per", "person"),
                     note=raw.get("note", ""), slip_label=raw.get("slip_label", ""))  # fmt: skip
    if t.per not in ("person", "household"):
        raise TemplateError(f"{where}: per は person・household のどちらかです（{t.per!r}）")
    for i, s in enumerate(raw.get("sections") or [], 1):
        s = {"type": s} if isinstance(s, str) else dict(s)
        if s.get("type") not in SECTIONS:
            raise TemplateError(
                f"{where}: sections の {i} 番目の type {s.get('type')!r} は使えません"
            )
        boxes = [
            _box(b, f"{where} sections[{i}]") for b in s.get("fields") or s.get("columns") or []
        ]
        section = Section(type=s["type"], label=s.get("label", ""), boxes=boxes,
                          people=s.get("people", "movers"), rows=int(s.get("rows", 6)),
                          text=s.get("text", ""), person=s.get("person", "applicant"),
                          options=[_option(o, f"{where} sections[{i}]")
                                   for o in s.get("options") or []])  # fmt: skip
        if section.people not in TABLE_PEOPLE:
            raise TemplateError(f"{where}: sections の {i} 番目の people は "
                                f"{'・'.join(TABLE_PEOPLE)} のどれかです（{section.people!r}）")  # fmt: skip
        if section.person not in APPLICANT_PERSONS:
            raise TemplateError(f"{where}: sections の {i} 番目の person は "
                                f"{'・'.join(APPLICANT_PERSONS)} のどれかです（{section.person!r}）")  # fmt: skip
        if section.type == "choice" and not section.options:
            raise TemplateError(f"{where}: sections の {i} 番目（choice）に options がありません")
        t.sections.append(section)
    t.boxes = [_box(b, f"{where} fields[{i}]") for i, b in enumerate(raw.get("fields") or [], 1)]
    if kind == "municipal" and not (t.background or t.generate):
        raise TemplateError(f"{where}: municipal には background か generate が必要です")
    return t


def pack_forms_dir(pack_dir: Path | None = None) -> Path:
    """The running pack's own forms/ folder (the shipped one when the pack has none)."""
    if pack_dir is None:
        # Where the pack is read from, without loading (and checking) the whole pack.
        from catalog.pack import default_dir

        pack_dir = default_dir()
    own = Path(pack_dir) / "forms"
    return own if own.is_dir() else SHIPPED


def forms_dir(pack_dir: Path | None = None) -> Path:
    """The municipality's own templates, saved by the field designer: settings.PRINTING_FORMS_DIR
    under the data directory (so a backup holds them), read over the pack's forms.
    Outside Django (a script with no settings), the pack's folder."""
    override = os.environ.get("MADOGUCHI_FORMS_DIR")
    if override:
        return scope.own_dir(override)  # each municipality's designer saves its own
    try:
        from django.conf import settings

        if getattr(settings, "PRINTING_FORMS_DIR", None):
            return scope.own_dir(settings.PRINTING_FORMS_DIR)
    except Exception:  # noqa: BLE001 — outside Django the pack that ships with the code
        pass
    return pack_forms_dir(pack_dir)


SHIPPED = Path(__file__).resolve().parent.parent / "catalogs" / "default" / "forms"
_cache: dict[tuple, dict[str, FormTemplate]] = {}


def load_templates(directory: Path | None = None) -> dict[str, FormTemplate]:
    """Every template by form id; reread only when a file changes.

    Without a folder: the shipped templates, replaced by name by the running pack's own
    (an overlay pack's forms/ over the default pack's), replaced in turn by the ones the
    municipality saved with the field designer (forms_dir()).
    """
    folders = (
        [directory] if directory else list(dict.fromkeys([SHIPPED, pack_forms_dir(), forms_dir()]))
    )
    files = [f for d in folders if d.is_dir() for f in sorted(d.glob("*.yaml"))]
    key = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    if key not in _cache:
        out = {}
        for f in files:
            raw = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
            out[f.stem] = parse_template(f.stem, raw, f)
        _cache.clear()
        _cache[key] = out
    return _cache[key]
