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

from lib.text import DIGIT_WIDTHS
from tenants import scope

from .dictionary import Format, UnknownField, get_field

SECTIONS = ("applicant", "subject", "fields", "table", "choice", "procedure", "signature", "note")
# Whom an `applicant` section shows: the one at the counter, the procedure's person (the
# 請求者 of 児童手当 is the parent who claims it), or the 世帯主 (国保 is the head's to file).
APPLICANT_PERSONS = ("applicant", "subject", "head")
TABLE_PEOPLE = ("movers", "all", "others", "children", "procedure")


class TemplateError(ValueError):
    pass


class FormError(TemplateError):
    """A form the packet cannot print as its template says (a broken file, a missing or
    unreadable blank): the clerk is told which form, never shown a server error."""

    def __init__(self, form_id: str, title: str, reason: str):
        self.form_id, self.title, self.reason = form_id, title, reason
        name = f"「{title}」（{form_id}）" if title and title != form_id else f"「{form_id}」"
        super().__init__(f"様式{name}を印刷できません：{reason}")


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
    # Municipal blanks written by hand (printing/layouts/municipal.py):
    # render: date_parts — the 元号 printed on the blank (明 大 昭 平 令, 西 where it has 西暦)
    # with the centre of each, the one of the date circled; 年・月・日 in their own boxes
    eras: tuple[tuple[str, float, float], ...] = ()
    parts: tuple[tuple[str, float, float, float, float], ...] = ()  # year|month|day, x y w h
    # render: circle — each option's printed label (its value, centre x, y): the one chosen
    # is circled, as a resident circles 男・女
    options: tuple[tuple[str, float, float], ...] = ()
    ring: tuple[float, float] = (6.0, 5.0)  # the circle's width and height (mm)
    # render: digits — one character a box: `count` boxes of width w, one every `pitch` mm,
    # in `groups` (〒 3・4, 電話 4・4・4) with `gap` mm more between two groups
    pitch: float = 0.0
    count: int = 0
    groups: tuple[int, ...] = ()
    gap: float = 0.0
    zip_mark: bool = True  # false: the blank prints its own 〒, the value leaves it off


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
    number: str = ""  # ruled: the 様式 number printed above the title (「様式第１号」)
    # A kind with its own vocabulary (ruled: `blocks`) parses it with the parser it registered.
    blocks: list = field(default_factory=list)
    # full | half: how every digit on the form is printed (Sheet.shown); "" the pack's
    # `form_digits` setting (PacketData.digits)
    digits: str = ""
    path: Path | None = None
    error: str = ""  # why the file could not be read (kind "broken"): said when it is printed
    # municipal: where the packet's visit number and QR code (stamp) and the 提出先 line with
    # the page number (footer) go on the blank — True: the usual places; None: left off
    stamp: tuple[float, float, float] | None | bool = True  # x, y, size of the QR code
    footer: tuple[float, float, float] | None | bool = True  # x, y, width

    def bound_fields(self) -> list[str]:
        out = [b.field for b in self.boxes if b.field]
        for s in self.sections:
            out += [b.field for b in s.boxes if b.field]
        for b in self.blocks:
            out += b.fields()
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
    if d.get("align", "L") not in ("L", "C", "R"):
        raise TemplateError(
            f"{where}: align は L・C・R のどれかです（{fid or '署名'}: align {d.get('align')!r}）"
        )
    if render not in RENDERS:
        raise TemplateError(
            f"{where}: render は {'・'.join(RENDERS)} のどれかです（{fid}: {render!r}）"
        )
    try:
        box = _placed_box(d, fid, label, render)
    except (TypeError, ValueError, OverflowError, IndexError):
        raise TemplateError(
            f"{where}: x・y・w・h・size・width・page は数値、align は L・C・R で書きます"
            f"（{fid or '署名'}）"
        ) from None
    _check_hand_written(box, d, where)
    return box


# How a box is written: text; a tick (check: one choice's box; choices: a row of them);
# the resident's signature; and, on municipal blanks, the date's parts, one character per
# printed box, the chosen option circled.
RENDERS = ("text", "check", "choices", "signature", "date_parts", "digits", "circle")
# What a municipal box may say; any other key is a typing error the author must hear about.
MUNICIPAL_KEYS = frozenset(
    {"field", "label", "x", "y", "w", "h", "size", "align", "shrink", "render", "choice",
     "date", "digits", "kana", "acroform", "page", "signature", "era", "year", "month", "day",
     "options", "ring", "pitch", "count", "groups", "gap", "zip_mark"}
)  # fmt: skip
ERA_LETTERS = ("明", "大", "昭", "平", "令", "西")


def _check_hand_written(b: Box, d: dict, where: str) -> None:
    name = b.field or "署名"
    if b.render == "date_parts":
        if b.field and get_field(b.field).kind != "date":
            raise TemplateError(f"{where}: date_parts は日付の項目に使います（{name}）")
        if not b.parts:
            raise TemplateError(
                f"{where}: date_parts には year・month・day の枠が要ります（{name}）"
            )
        bad = [e for e, *_ in b.eras if e not in ERA_LETTERS]
        if bad:
            raise TemplateError(
                f"{where}: era は {'・'.join(ERA_LETTERS)} の位置です（{name}: {'・'.join(bad)}）"
            )
    if b.render == "circle" and not b.options:
        raise TemplateError(f"{where}: circle には options（値: [x, y]）が要ります（{name}）")
    if b.render == "digits":
        if b.count < 1 or b.pitch <= 0:
            raise TemplateError(
                f"{where}: digits には count（枠の数）と pitch（mm）が要ります（{name}）"
            )
        if b.groups and sum(b.groups) != b.count:
            raise TemplateError(f"{where}: groups の合計が count と違います（{name}）")


def _number(value) -> float:
    n = float(value)
    if not math.isfinite(n):
        raise ValueError(value)
    return n


def _pair(v) -> tuple[float, float]:
    if not isinstance(v, (list, tuple)) or len(v) != 2:
        raise ValueError(v)
    return _number(v[0]), _number(v[1])


def _rect(v) -> tuple[float, float, float, float]:
    if not isinstance(v, (list, tuple)) or len(v) != 4:
        raise ValueError(v)
    x, y, w, h = (_number(n) for n in v)
    return x, y, w, h


def _placed_box(d: dict, fid, label, render) -> Box:
    eras = d.get("era") or {}
    options = d.get("options") or {}
    if not isinstance(eras, dict) or not isinstance(options, dict):
        raise ValueError(eras)
    groups = d.get("groups") or ()
    if not isinstance(groups, (list, tuple)):
        raise ValueError(groups)
    return Box(
        field=fid, label=label, x=_number(d.get("x", 0)), y=_number(d.get("y", 0)),
        w=_number(d.get("w", 0)), h=_number(d.get("h", 0)), size=_number(d.get("size", 10.5)),
        align=d.get("align", "L"), shrink=bool(d.get("shrink", True)), render=render,
        choice=None if d.get("choice") is None else str(d.get("choice")), fmt=_fmt(d),
        acroform=None if d.get("acroform") is None else str(d["acroform"]),
        page=int(d.get("page", 1)), width=_number(d.get("width", 0)),
        eras=tuple((str(k), *_pair(v)) for k, v in eras.items()),
        parts=tuple((k, *_rect(d[k])) for k in ("year", "month", "day") if k in d),
        options=tuple((str(k), *_pair(v)) for k, v in options.items()),
        ring=_pair(d.get("ring", (6.0, 5.0))), pitch=_number(d.get("pitch", 0)),
        count=int(d.get("count", 0)), groups=tuple(int(g) for g in groups),
        gap=_number(d.get("gap", 0)), zip_mark=bool(d.get("zip_mark", True)),
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
    from .layouts import PARSERS, RENDERERS

    kind = raw.get("kind")
    if kind not in RENDERERS:
        raise TemplateError(f"{where}: kind は {'・'.join(RENDERERS)} のどれかです（{kind!r}）")
    t = FormTemplate(id=form_id, kind=kind, title=raw.get("title", ""), path=path,
                     background=raw.get("background", ""), generate=raw.get("generate", ""),
                     layout=raw.get("layout", ""), per=raw.get("per", "person"),
                     note=raw.get("note", ""), slip_label=raw.get("slip_label", ""),
                     number=str(raw.get("number", "")),
                     digits=raw.get("digits", ""))  # fmt: skip
    if kind in PARSERS:
        t.blocks = PARSERS[kind](raw, where)
    if "digits" in raw and t.digits not in DIGIT_WIDTHS:
        raise TemplateError(f"{where}: digits は full（全角）・half（半角）のどちらかです"
                            f"（{t.digits!r}）")  # fmt: skip
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
    if kind == "municipal":
        for i, b in enumerate(raw.get("fields") or [], 1):
            unknown = sorted(set(b) - MUNICIPAL_KEYS) if isinstance(b, dict) else []
            if unknown:
                raise TemplateError(
                    f"{where} fields[{i}]: 使えないキーです（{'・'.join(unknown)}）"
                )
    t.boxes = [_box(b, f"{where} fields[{i}]") for i, b in enumerate(raw.get("fields") or [], 1)]
    if kind == "municipal" and not (t.background or t.generate):
        raise TemplateError(f"{where}: municipal には background か generate が必要です")
    t.stamp = _mark(raw, "stamp", ("x", "y", "size"), where)
    t.footer = _mark(raw, "footer", ("x", "y", "w"), where)
    return t


def _mark(raw: dict, key: str, keys: tuple[str, ...], where: str):
    """`stamp:`/`footer:` of a municipal template: absent or true (the usual place), false
    (left off: the blank has no room, or a department wants it clean), or its place in mm."""
    v = raw.get(key, True)
    if v is True or v is False:
        return v or None
    if isinstance(v, dict) and set(v) <= set(keys) and {"x", "y"} <= set(v):
        try:
            default = {"size": 13.0, "w": 60.0}
            return tuple(_number(v.get(k, default.get(k, 0))) for k in keys)
        except (TypeError, ValueError):
            pass
    raise TemplateError(
        f"{where}: {key} は false か {{{'・'.join(keys)}}}（mm）で書きます（{v!r}）"
    )


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
            out[f.stem] = read_template(f)
        _cache.clear()
        _cache[key] = out
    return _cache[key]


def read_template(f: Path) -> FormTemplate:
    """The template in file `f`; one that cannot be read is kept as kind "broken" with the
    reason, so every other form still prints and this one says what is wrong with it."""
    title = ""
    try:
        raw = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        if not isinstance(raw, dict):
            raise TemplateError(f"{f}: 様式は キー: 値 の組で書きます")
        title = str(raw.get("title") or "")
        return parse_template(f.stem, raw, f)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = f"{mark.line + 1}行目" if mark else ""
        reason = f"{f}: YAML として読めません（{line}：{e.problem or e.context}）"
    except yaml.YAMLError as e:
        reason = f"{f}: YAML として読めません（{e}）"
    except (OSError, UnicodeDecodeError) as e:
        reason = f"{f}: 開けません（{e}）"
    except TemplateError as e:
        reason = str(e)
    return FormTemplate(id=f.stem, kind="broken", title=title, path=f, error=reason)
