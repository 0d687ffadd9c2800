"""kind: ruled — a form drawn from the template's `blocks` the way a city's own form looks:
様式 number, title, あて先, ruled rows of labelled cells, tables with a row per person,
checkboxes, the signature box, the 処理欄.

A cell bound to a data dictionary field is pre-filled; a cell without one (口座番号, the
dog's 毛色, 葬儀日…) is printed empty for the resident or the clerk to write, and counted as
such on the slip. docs/printing.md lists the keys; catalogs/default/forms/kokuho_ido.yaml is
an example.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import dictionary as dd
from ..data import Fill, PacketData, PersonData, Procedure
from ..sheet import CONTENT_W, MARGIN, PT, RULE, THIN, Sheet
from ..templates_loader import (
    APPLICANT_PERSONS,
    TABLE_PEOPLE,
    Format,
    Option,
    TemplateError,
    _fmt,
    _option,
)
from ..wording import wareki
from . import register
from .generic import LABEL_W, OUTER_W, STAFF_TOP, _people, _staff, footer_line, form_title
from .generic import _choice as draw_choice
from .idou import signature_box

BLOCKS = ("grid", "table", "choice", "signature", "note")
ROW_H = 9.0
VERTICAL = {"ー": "｜", "（": "︵", "）": "︶"}  # stacked one a line, as in vertical writing
BOTTOM = STAFF_TOP - 2  # blocks end above the 処理欄; the rest go on a next sheet


@dataclass(frozen=True)
class Cell:
    """A label and the value beside it. Without `field` the value is left to write."""

    label: str = ""
    field: str | None = None
    lw: float = 0.0  # label width (0: LABEL_W when there is a label)
    w: float = 0.0  # the whole cell's width, label included (0: share what the row leaves)
    size: float = 10.5
    align: str = "L"
    boxes: int = 0  # digits written one per box (口座番号 7, 個人番号 12)
    options: tuple[str, ...] = ()  # checkboxes for the resident to tick
    suffix: str = ""  # printed small at the right of the value (「銀行・信用金庫」「本店・支店」)
    write: str = ""  # "date": an empty date is printed as 「令和　　年　　月　　日」
    era: str = ""  # the 元号 an empty date starts with
    text: str = ""  # fixed text instead of a value (a note inside the grid)
    office: bool = False  # the clerk's to fill (登録番号, メーター指針): not owed by the resident
    fmt: Format = Format()
    # The cell as a move out prints it (前住所 becomes 転出先): `leaving:` keys over these.
    leaving: Cell | None = None


@dataclass(frozen=True)
class Row:
    h: float
    cells: tuple[Cell, ...]


@dataclass
class Block:
    type: str
    label: str = ""  # the outer label down the left edge (grid, table)
    person: str = "applicant"  # grid: whom `person.*` speaks about
    rows: list[Row] = field(default_factory=list)  # grid
    columns: list[Cell] = field(default_factory=list)  # table
    people: str = "procedure"  # table: whose rows
    count: int = 5  # table: rows drawn (people first, then empty ones)
    h: float = 8.0  # table row / signature box height
    options: list[Option] = field(default_factory=list)  # choice
    text: str = ""  # note; signature: the line above the box
    size: float = 9.0  # note

    def fields(self) -> list[str]:
        cells = [c for r in self.rows for c in r.cells] + self.columns
        cells += [c.leaving for c in cells if c.leaving]
        return [c.field for c in cells if c.field]


# ---- parsing


def _num(d: dict, key: str, default: float, where: str) -> float:
    try:
        return float(d.get(key, default))
    except (TypeError, ValueError):
        raise TemplateError(f"{where}: {key} は数値で書きます（{d.get(key)!r}）") from None


def _cell(d, where: str) -> Cell:
    if isinstance(d, str):
        d = {"label": d}
    if not isinstance(d, dict):
        raise TemplateError(f"{where}: 欄は label・field・w… の組で書きます")
    fid = d.get("field")
    if fid is not None:
        try:
            dd.get_field(fid)
        except dd.UnknownField as e:
            raise TemplateError(f"{where}: {e.args[0]}") from None
    if d.get("align", "L") not in ("L", "C", "R"):
        raise TemplateError(f"{where}: align は L・C・R で書きます（{d.get('align')!r}）")
    if d.get("write", "") not in ("", "date"):
        raise TemplateError(f"{where}: write は date だけが使えます（{d.get('write')!r}）")
    options = d.get("options") or []
    if not isinstance(options, list):
        raise TemplateError(f"{where}: options は選択肢の並びで書きます")
    leaving = d.get("leaving")
    if leaving is not None and not isinstance(leaving, dict):
        raise TemplateError(f"{where}: leaving は転出のときに替える label・field… の組で書きます")
    if leaving is not None:
        leaving = _cell({k: v for k, v in d.items() if k != "leaving"} | leaving, where)
    return Cell(
        label=str(d.get("label", "")), field=fid, lw=_num(d, "lw", 0, where),
        w=_num(d, "w", 0, where), size=_num(d, "size", 10.5, where), align=d.get("align", "L"),
        boxes=int(_num(d, "boxes", 0, where)), options=tuple(str(o) for o in options),
        suffix=str(d.get("suffix", "")), write=d.get("write", ""), era=str(d.get("era", "")),
        text=str(d.get("text", "")), office=bool(d.get("office", False)), fmt=_fmt(d),
        leaving=leaving,
    )  # fmt: skip


def _row(r, where: str) -> Row:
    if isinstance(r, dict):
        cells, h = r.get("cells") or [], _num(r, "h", ROW_H, where)
    else:
        cells, h = r, ROW_H
    if not isinstance(cells, list) or not cells:
        raise TemplateError(f"{where}: 行は欄の並び（または h と cells）で書きます")
    return Row(h, tuple(_cell(c, where) for c in cells))


def parse(raw: dict, where: str) -> list[Block]:
    out = []
    for i, b in enumerate(raw.get("blocks") or [], 1):
        at = f"{where} blocks[{i}]"
        b = {"type": b} if isinstance(b, str) else dict(b)
        if b.get("type") not in BLOCKS:
            raise TemplateError(
                f"{at}: type は {'・'.join(BLOCKS)} のどれかです（{b.get('type')!r}）"
            )
        block = Block(
            type=b["type"], label=str(b.get("label", "")), person=b.get("person", "applicant"),
            people=b.get("people", "procedure"), count=int(_num(b, "rows", 5, at)) if b["type"] == "table" else 0,
            h=_num(b, "h", 20.0 if b["type"] == "signature" else 8.0, at),
            text=str(b.get("text", "")), size=_num(b, "size", 9.0, at),
        )  # fmt: skip
        if block.type == "grid":
            block.rows = [_row(r, at) for r in b.get("rows") or []]
            if not block.rows:
                raise TemplateError(f"{at}: grid に rows がありません")
        elif block.type == "table":
            block.columns = [_cell(c, at) for c in b.get("columns") or []]
            if not block.columns:
                raise TemplateError(f"{at}: table に columns がありません")
        elif block.type == "choice":
            block.options = [_option(o, at) for o in b.get("options") or []]
            if not block.options:
                raise TemplateError(f"{at}: choice に options がありません")
        if block.person not in APPLICANT_PERSONS:
            raise TemplateError(f"{at}: person は {'・'.join(APPLICANT_PERSONS)} のどれかです")
        if block.people not in TABLE_PEOPLE:
            raise TemplateError(f"{at}: people は {'・'.join(TABLE_PEOPLE)} のどれかです")
        out.append(block)
    if not out:
        raise TemplateError(f"{where}: ruled には blocks が必要です")
    return out


# ---- drawing


def _who(p: PersonData | None) -> str | None:
    return f"{p.name}（{p.key}）" if p else None


def _person(data: PacketData, proc: Procedure, which: str) -> PersonData | None:
    if which == "subject":
        return data.person(proc.person) or data.applicant
    if which == "head":
        return data.head
    return data.applicant


def _fit(pdf: Sheet, x, y, w, h, text: str, size: float, align: str, who) -> None:
    """Text in the box: a little smaller on one line, else wrapped and smaller until it fits
    (a long name goes on two lines at a legible size)."""
    pad = 2.0
    wide = pdf.measure(text, size)
    if wide > w - 2 * pad and size * (w - 2 * pad) / wide >= size * 0.8:
        size = size * (w - 2 * pad) / wide
    lh = size * PT * 1.3
    lines = pdf.wrap(text, w - 2 * pad, size)
    while len(lines) * lh > h - 0.4 and size > 6:
        size -= 0.5
        lh = size * PT * 1.3
        lines = pdf.wrap(text, w - 2 * pad, size)
    top = y + (h - lh * len(lines)) / 2
    for i, ln in enumerate(lines):
        pdf.line_text(x + pad, top + i * lh, ln, size, w=w - 2 * pad, h=lh, align=align, who=who)


def _value(pdf: Sheet, ctx: dd.Ctx, c: Cell, x, y, w, h, fill: Fill, who) -> None:
    """The value part of a cell (its frame is drawn by the caller)."""
    dd.note_mynumber(c.field, ctx, fill)  # before an office cell's fill stands in for it
    if c.office:
        fill = Fill(fill.form, fill.procedure, fill.person)  # drawn, but not on the slip's count
    if c.suffix:
        sw = pdf.measure(c.suffix, 8) + 3
        pdf.line_text(x + w - sw, y, c.suffix, 8, h=h)
        w -= sw
    if c.text:
        pdf.block(x + 2, y + 1, w - 4, c.text, c.size)
        return
    kind = dd.get_field(c.field).kind if c.field else ""
    if c.options or kind in ("bool", "choice"):
        _options(pdf, ctx, c, x + 2, y, w - 3, h, fill)
        return
    v = dd.render(c.field, ctx, c.fmt) if c.field else ""
    if not c.field or dd.counted(c.field, v):
        fill.count(bool(v))
    if c.boxes:
        _digit_boxes(pdf, x, y, w, h, v, c.boxes)
    elif not v and c.write == "date":
        blank = f"{c.era}　　　年　　　月　　　日"
        size = pdf.fit(blank, w - 4, min(c.size, 10.5))
        pdf.line_text(x + 2, y, blank, size, w=w - 4, h=h, align="R")
    elif v:
        _fit(pdf, x, y, w, h, v, c.size, c.align, who)


def _options(pdf: Sheet, ctx: dd.Ctx, c: Cell, x, y, w, h, fill: Fill) -> None:
    if c.options:  # the resident's to tick: the catalog does not know it
        items = [(None, o) for o in c.options]
        fill.count(False)
    else:
        fill.count(dd.value(c.field, ctx) is not None)
        # 「被用者保険（会社の…）」: the bracketed gloss is for screens; a form keeps the noun.
        items = [(v, label.split("（")[0]) for v, label in dd.choices_of(c.field)]
    size = min(c.size, 9.5)
    while True:
        lines = _pack(pdf, [label for _v, label in items], w, size)
        lh = size * PT * 1.3 + 0.4
        if len(lines) * lh <= h or size <= 6.5:
            break
        size -= 0.5
    top = y + (h - lh * len(lines)) / 2
    it = iter(items)
    for i, line in enumerate(lines):
        lx = x
        for _label in line:
            value, label = next(it)
            on = value is not None and bool(dd.ticked(c.field, ctx, value))
            lx += pdf.choice(lx, top + i * lh, label, on, size=size)


def _pack(pdf: Sheet, labels: list[str], w: float, size: float) -> list[list[str]]:
    """Checkbox labels in lines that fit the width (Sheet.choice: box, gap, label, space)."""
    lines: list[list[str]] = [[]]
    used = 0.0
    for label in labels:
        need = pdf.measure(label, size) + 7.5
        if lines[-1] and used + need - 3.5 > w:  # the last needs no space after it
            lines.append([])
            used = 0.0
        lines[-1].append(label)
        used += need
    return lines


def _digit_boxes(pdf: Sheet, x, y, w, h, value: str, n: int) -> None:
    """One box per digit, as bank and number fields are printed; the value's digits in them."""
    pitch = min(7.0, (w - 4) / n)
    bh = min(h - 2, 7.0)
    top = y + (h - bh) / 2
    chars = [ch for ch in value if not ch.isspace() and ch not in "-－ー"][:n]
    for i in range(n):
        bx = x + 2 + i * pitch
        pdf.frame(bx, top, pitch, bh, width=THIN)
        if i < len(chars):
            pdf.line_text(bx, top, chars[i], min(11.0, pitch / PT * 0.8), w=pitch, h=bh, align="C")


def _widths(cells, total: float) -> list[float]:
    fixed = sum(c.w for c in cells if c.w)
    auto = [c for c in cells if not c.w]
    share = (total - fixed) / len(auto) if auto else 0.0
    return [c.w or share for c in cells]


def _outer(pdf: Sheet, y: float, h: float, label: str) -> None:
    """The block's label down the left edge, one character a line as on printed forms."""
    size = 9.5
    lh = size * PT * 1.25
    if len(label) * lh > h - 2:
        pdf.label_cell(MARGIN, y, OUTER_W, h, label, 8.5)
        return
    pdf.shade(MARGIN, y, OUTER_W, h)
    pdf.frame(MARGIN, y, OUTER_W, h, width=THIN)
    top = y + (h - lh * len(label)) / 2
    for i, ch in enumerate(label):
        ch = VERTICAL.get(ch, ch)
        pdf.line_text(MARGIN, top + i * lh, ch, size, w=OUTER_W, h=lh, align="C")


def _grid(pdf: Sheet, data: PacketData, proc: Procedure, b: Block, y: float, fill: Fill):
    person = _person(data, proc, b.person)
    ctx = dd.Ctx(data, proc, person)
    x0 = MARGIN + (OUTER_W if b.label else 0)
    top = y
    for row in b.rows:
        x = x0
        for c, w in zip(row.cells, _widths(row.cells, MARGIN + CONTENT_W - x0), strict=True):
            c = c.leaving if data.leaving and c.leaving else c
            lw = (c.lw or LABEL_W) if c.label else 0.0
            if c.label:
                pdf.label_cell(x, y, lw, row.h, c.label, 8.5 if len(c.label) < 9 else 7.5)
            pdf.frame(x + lw, y, w - lw, row.h, width=THIN)
            who = _who(dd.context_for(c.field, ctx).person) if c.field else None
            _value(pdf, ctx, c, x + lw, y, w - lw, row.h, fill, who)
            x += w
        y += row.h
    if b.label:
        _outer(pdf, top, y - top, b.label)
    pdf.frame(MARGIN, top, CONTENT_W, y - top, width=RULE * 1.6)
    return y


def _table(pdf: Sheet, data: PacketData, proc: Procedure, b: Block, y: float, fill: Fill,
           people: list[PersonData], rows: int) -> float:  # fmt: skip
    """A header of column labels, a row per person, then empty rows up to `rows`."""
    x0 = MARGIN + (OUTER_W if b.label else 0)
    widths = _widths(b.columns, MARGIN + CONTENT_W - x0)
    top = y
    x = x0
    for c, w in zip(b.columns, widths, strict=True):
        pdf.label_cell(x, y, w, 6.5, c.label, 8.5 if len(c.label) < 9 else 7.5)
        x += w
    y += 6.5
    for i in range(max(rows, len(people))):
        p = people[i] if i < len(people) else None
        ctx = dd.Ctx(data, proc, p)
        x = x0
        for c, w in zip(b.columns, widths, strict=True):
            pdf.frame(x, y, w, b.h, width=THIN)
            if p is not None:
                _value(pdf, ctx, c, x, y, w, b.h, fill, _who(p))
            elif c.boxes:
                _digit_boxes(pdf, x, y, w, b.h, "", c.boxes)
            x += w
        y += b.h
    if b.label:
        _outer(pdf, top, y - top, b.label)
    pdf.frame(MARGIN, top, CONTENT_W, y - top, width=RULE * 1.6)
    return y


def _height(pdf: Sheet, data: PacketData, proc: Procedure, b: Block) -> float:
    if b.type == "grid":
        return sum(r.h for r in b.rows)
    if b.type == "table":  # more people than fit go on the next sheet (draw)
        return 6.5 + b.h * b.count
    if b.type == "signature":
        return 6 + b.h
    if b.type == "note":
        return pdf.block(MARGIN, 0, CONTENT_W, b.text, b.size, draw=False)
    return 8.0 * (1 + len(b.options) // 6)


def _header(pdf: Sheet, data: PacketData, proc: Procedure, t, title: str, more: bool) -> float:
    pdf.new_page()
    if t.number:
        pdf.line_text(MARGIN, 7, t.number, 9)
    y = 20.0
    shown = f"{title}（つづき）" if more else title
    pdf.block(MARGIN + 20, y, CONTENT_W - 40, shown, 16, face=pdf.gothic, align="C", leading=1.25)
    y += pdf.block(MARGIN + 20, y, CONTENT_W - 40, shown, 16, face=pdf.gothic, draw=False) + 3
    if more:
        return y
    pdf.line_text(MARGIN, y, f"（あて先）{data.municipality}長", 11)
    issued = wareki(data.issued_on, full=True, gannen=data.gannen)
    pdf.line_text(MARGIN, y, f"{_verb(title)}日　{issued}", 10.5, w=CONTENT_W, align="R")
    y += 7
    return y


def _verb(title: str) -> str:
    """What the form does, from its title: 請求書 claim, 申請書 apply, 申込書 ask for a place,
    anything else notifies."""
    for verb in ("請求", "申請", "申込"):
        if verb in title:
            return verb
    return "届出"


LEAD = {"請求": "次のとおり請求します。", "申請": "次のとおり申請します。",
        "申込": "次のとおり申し込みます。", "届出": "次のとおり届け出ます。"}  # fmt: skip


@register("ruled", parse=parse)
def draw(pdf: Sheet, data: PacketData, proc: Procedure, t, fill: Fill) -> None:
    title = form_title(proc, t)
    y = _header(pdf, data, proc, t, title, more=False)
    pdf.line_text(MARGIN, y, LEAD[_verb(title)], 10)
    y += 6.5
    for b in t.blocks:
        if y + _height(pdf, data, proc, b) > BOTTOM and y > 60:
            _staff(pdf, proc, STAFF_TOP)
            footer_line(pdf, proc)
            y = _header(pdf, data, proc, t, title, more=True)
        if b.type == "grid":
            y = _grid(pdf, data, proc, b, y, fill)
        elif b.type == "table":
            people, rows = _people(data, b.people, proc), b.count
            while True:
                fit = max(1, int((BOTTOM - y - 6.5) // b.h))
                y = _table(pdf, data, proc, b, y, fill, people[:fit], min(rows, fit))
                people, rows = people[fit:], 0
                if not people:
                    break
                _staff(pdf, proc, STAFF_TOP)  # a large household: its rows continue overleaf
                footer_line(pdf, proc)
                y = _header(pdf, data, proc, t, title, more=True)
        elif b.type == "choice":
            y = draw_choice(pdf, data, proc, b, y, fill)
        elif b.type == "note":
            y += pdf.block(MARGIN, y, CONTENT_W, b.text, b.size)
        elif b.type == "signature":
            pdf.line_text(MARGIN, y + 0.5, b.text or "上記のとおり相違ありません。", 10)
            y = signature_box(pdf, y + 6, b.label or "届出人署名", b.h)
            fill.signatures += 1
        y += 2.5
    _staff(pdf, proc, max(y, STAFF_TOP))
    footer_line(pdf, proc)
