"""kind: generic — an A4 application form laid out section by section from its template
(printing.templates_loader), pre-filled; also the layout of a form without a template.

Every value goes through the data dictionary, and every box is counted: filled at the
counter, or left to the resident.
"""

from __future__ import annotations

from .. import dictionary as dd
from ..data import Fill, PacketData, PersonData, Procedure
from ..sheet import CONTENT_W, MARGIN, PAGE_H, PT, RULE, SHADE, THIN, Sheet
from ..templates_loader import Box, FormTemplate, Option, Section
from ..wording import full_address, person_date, sex_label, wareki, zip_code
from . import register
from .idou import signature_box

LABEL_W = 26.0
OUTER_W = 12.0
STAFF_TOP = PAGE_H - 52


DEFAULT_SECTIONS = [Section("applicant"), Section("subject"), Section("procedure"),
                    Section("signature", label="申請者署名")]  # fmt: skip


def _who(p: PersonData) -> str:
    return f"{p.name}（{p.key}）"


def form_title(proc: Procedure, t: FormTemplate | None) -> str:
    """The form's own name: the template's title, else the procedure's without its bracketed
    guidance (「葬祭費支給申請（喪主に50,000円）」 is the slip's wording, not the form's)."""
    if t is not None and t.title:
        return t.title
    title = proc.title or proc.id
    if title.endswith("）") and "（" in title:
        title = title[: title.rindex("（")].rstrip() or title
    return title


@register("generic")
def draw(pdf: Sheet, data: PacketData, proc: Procedure, t: FormTemplate | None, fill: Fill):
    """The form of `proc`: the template's sections, or the default ones (no template, or a
    template of another kind that lends only its title)."""
    sections = (
        t.sections if (t is not None and t.kind == "generic" and t.sections) else DEFAULT_SECTIONS
    )
    title = form_title(proc, t)
    pdf.new_page()
    y = MARGIN
    pdf.line_text(MARGIN, y + 4, f"（あて先）{data.municipality}長", 10.5)
    y += 14
    pdf.block(MARGIN, y, CONTENT_W, title, 17, face=pdf.gothic, align="C", leading=1.25)
    y += pdf.block(MARGIN, y, CONTENT_W, title, 17, face=pdf.gothic, draw=False) + 3
    pdf.line_text(MARGIN, y, "次のとおり申請（届出）します。", 10.5)
    pdf.line_text(
        MARGIN, y, f"申請日　{wareki(data.issued_on, full=True, gannen=data.gannen)}", 10.5,
        w=CONTENT_W, align="R",
    )  # fmt: skip
    y += 7
    ctx = dd.Ctx(data, proc)
    later: list[tuple[Section, list[PersonData]]] = []
    for s in sections:
        if s.type == "applicant":
            who = _section_person(data, proc, s.person)
            y = _applicant(pdf, data, who, y, fill, s.label or "申請者") + 3.5
        elif s.type == "subject":
            person = data.person(proc.person)
            if proc.people:
                s = Section("table", "対象", _household_section().boxes, "procedure", rows=8)
                y, rest = _table(pdf, ctx, s, y, fill, _people(data, "procedure", proc))
                y += 3.5
                if rest:
                    later.append((s, rest))
            elif person:
                y = _subject(pdf, person, y, fill) + 3.5
            else:
                y, rest = _table(
                    pdf, ctx, _household_section(), y, fill, _people(data, "movers", proc)
                )
                y += 3.5
                if rest:
                    later.append((_household_section(), rest))
        elif s.type == "fields":
            y = _fields(pdf, ctx, s, y, fill) + 3.5
        elif s.type == "table":
            y, rest = _table(pdf, ctx, s, y, fill, _people(data, s.people, proc))
            y += 3.5
            if rest:
                later.append((s, rest))
        elif s.type == "choice":
            y = _choice(pdf, data, proc, s, y, fill) + 3.5
        elif s.type == "procedure":
            y = _facts(pdf, data, proc, y) + 4
        elif s.type == "note":
            y += pdf.block(MARGIN, y, CONTENT_W, s.text, 9.5) + 2
        elif s.type == "signature":
            pdf.line_text(MARGIN, y, "上記のとおり相違ありません。", 10.5)
            y = signature_box(pdf, y + 6, s.label or "申請者署名", 20) + 2
            fill.signatures += 1
            note = "※ 太枠の中は窓口で記入済みです。内容をご確認のうえ、署名欄にご署名ください。"
            pdf.line_text(MARGIN, y, note, 9)
            y += 6
    _staff(pdf, proc, max(y, STAFF_TOP))
    footer_line(pdf, proc)
    for s, rest in later:
        _continuation(pdf, data, proc, title, ctx, s, rest, fill)


def _section_person(data: PacketData, proc: Procedure, which: str) -> PersonData | None:
    """Whom an applicant section shows (templates_loader.APPLICANT_PERSONS)."""
    if which == "subject":
        return data.person(proc.person) or data.applicant
    if which == "head":
        return data.head
    return data.applicant


def _people(data: PacketData, which: str, proc: Procedure) -> list[PersonData]:
    if which == "all":
        return list(data.people)
    if which == "others":
        return [p for p in data.people if not p.applicant]
    if which == "children":
        # The law's 児童 only, never the claimant (the procedure's person) nor a spouse.
        return [p for p in data.children() if p.key != proc.person]
    if which == "procedure":
        people = [data.person(k) for k in proc.people or [proc.person]]
        return [p for p in people if p is not None]
    return data.movers or data.people


def _household_section() -> Section:
    return Section("table", label="対象", rows=8, boxes=[
        Box("person.name", "氏名", width=78.0, size=11),
        Box("person.birth_date", "生年月日", width=50.0, align="C", size=10),
        Box("person.relation", "続柄", width=CONTENT_W - OUTER_W - 128.0, align="C", size=10),
    ])  # fmt: skip


def _text(pdf: Sheet, ctx: dd.Ctx, box: Box, fill: Fill) -> str:
    v = dd.render(box.field, ctx, box.fmt)
    dd.note_mynumber(box.field, ctx, fill)
    if dd.counted(box.field, v):  # a number not yet assigned is the office's to write
        fill.count(bool(v))
    return v


def _fields(pdf: Sheet, ctx: dd.Ctx, s: Section, y: float, fill: Fill) -> float:
    """Label | value rows; a yes/no or choice field is a row of checkboxes, ticked."""
    top = y
    x0 = MARGIN + (OUTER_W if s.label else 0)
    x, w = x0 + LABEL_W, MARGIN + CONTENT_W - x0 - LABEL_W
    for box in s.boxes:
        h = 9.0
        pdf.label_cell(x0, y, LABEL_W, h, box.label, 8.5 if len(box.label) < 12 else 7.5)
        if box.render in ("choices", "check"):
            pdf.frame(x, y, w, h, width=THIN)
            _choices(pdf, ctx, box, x + 3, y + (h - 9.5 * PT * 1.3) / 2, fill)
        else:
            who = None
            if box.field and box.field.split(".")[0] in dd.PERSON_ROLES:
                p = dd.context_for(box.field, ctx).person
                who = _who(p) if p else None
            pdf.value_cell(x, y, w, h, _text(pdf, ctx, box, fill), box.size, who=who,
                           align=box.align)  # fmt: skip
        y += h
    if s.label:
        _outer(pdf, top, y - top, s.label)
    pdf.frame(MARGIN, top, CONTENT_W, y - top, width=RULE * 1.6)
    return y


def _choices(pdf: Sheet, ctx: dd.Ctx, box: Box, x: float, y: float, fill: Fill,
             w: float = CONTENT_W - OUTER_W - LABEL_W - 4) -> None:  # fmt: skip
    known = dd.value(box.field, ctx) is not None
    fill.count(known)
    # 「被用者保険（会社の…）」: the bracketed gloss is for screens; a form keeps the noun.
    items = [(v, label.split("（")[0]) for v, label in dd.choices_of(box.field)]
    size = 9.5
    needed = sum(pdf.measure(label, size) + 7.5 for _v, label in items)
    if needed > w:
        size = max(6.5, size * w / needed)
    for value, label in items:
        x += pdf.choice(x, y, label, bool(dd.ticked(box.field, ctx, value)), size=size)


def _table(pdf: Sheet, ctx: dd.Ctx, s: Section, y: float, fill: Fill, people: list[PersonData],
           first: int = 0):  # fmt: skip
    """A row per person, at most `s.rows` here; the rest go on a 続紙 (returned)."""
    top = y
    x0 = MARGIN + OUTER_W
    h = 6.5
    cols = s.boxes
    free = CONTENT_W - OUTER_W - sum(b.width for b in cols if b.width)
    auto = [b for b in cols if not b.width]
    widths = [b.width or free / len(auto) for b in cols]
    cx = x0
    for b, w in zip(cols, widths, strict=True):
        pdf.label_cell(cx, y, w, h, b.label, 8.5)
        cx += w
    y += h
    shown = people[: s.rows]
    for p in shown:
        row = dd.Ctx(ctx.data, ctx.proc, p)
        cx = x0
        for b, w in zip(cols, widths, strict=True):
            if b.render in ("choices", "check"):
                pdf.frame(cx, y, w, 8, width=THIN)
                _choices(pdf, row, b, cx + 2, y + (8 - 9.5 * PT * 1.3) / 2, fill)
            else:
                v = _text(pdf, row, b, fill)
                pdf.value_cell(cx, y, w, 8, v, b.size, who=_who(p), align=b.align)
            cx += w
        y += 8
    rest = people[len(shown) :]
    if rest:
        pdf.value_cell(x0, y, CONTENT_W - OUTER_W, 8, f"以下続紙（ほか{len(rest)}名）", 10.5)
        y += 8
    _outer(pdf, top, y - top, s.label or "対象")
    pdf.frame(MARGIN, top, CONTENT_W, y - top, width=RULE * 1.6)
    return y, rest


def _continuation(pdf: Sheet, data: PacketData, proc: Procedure, title: str, ctx: dd.Ctx,
                  s: Section, rest: list[PersonData], fill: Fill) -> None:  # fmt: skip
    """続紙: the rows a table could not hold, as many sheets as they need."""
    per_sheet = 24
    for i in range(0, len(rest), per_sheet):
        pdf.new_page()
        y = MARGIN + 4
        pdf.line_text(MARGIN, y, f"{title}（続紙）", 15, face=pdf.gothic, w=CONTENT_W, align="C")
        y += 12
        chunk = Section(s.type, s.label, s.boxes, s.people, rows=per_sheet)
        y, _ = _table(pdf, ctx, chunk, y, fill, rest[i : i + per_sheet])
        footer_line(pdf, proc)


def _outer(pdf: Sheet, y: float, h: float, label: str) -> None:
    pdf.label_cell(MARGIN, y, OUTER_W, h, label, 9)


def _applicant(pdf: Sheet, data: PacketData, a: PersonData | None, y: float, fill: Fill,
               outer: str) -> float:  # fmt: skip
    x, w = MARGIN + OUTER_W + LABEL_W, CONTENT_W - OUTER_W - LABEL_W
    addr = data.old_address if data.leaving else data.new_address
    rows = [("フリガナ", 6.5), ("氏名", 10.5), ("住所", 14.0), ("電話番号", 8.0)]
    if a is not None and a.is_foreign:
        rows = rows[1:]  # a foreign resident's name is in the alphabet, without 振り仮名
    values = {"フリガナ": a.name_kana if a else "", "氏名": a.name if a else "",
              "住所": full_address(addr), "電話番号": data.phone}  # fmt: skip
    for label, _h in rows:
        fill.count(bool(values[label]))
    top = y
    for label, h in rows:
        pdf.label_cell(MARGIN + OUTER_W, y, LABEL_W, h, label, 8.5)
        pdf.frame(x, y, w, h, width=THIN)
        if a is not None and label == "フリガナ":
            pdf.line_text(x + 3, y, a.name_kana, 9, h=h, who=_who(a))
        elif a is not None and label == "氏名":
            pdf.name_text(x + 2.5, y + 0.3, w - 5, h - 0.6, a.name, 13, who=_who(a))
        elif label == "住所":
            pdf.line_text(x + 2, y + 1, zip_code(addr), 9)
            pdf.block(x + 4, y + 5.5, w - 6, full_address(addr), 11, leading=1.2)
        elif label == "電話番号":
            pdf.line_text(x + 3, y, data.phone, 11, h=h)
        y += h
    _outer(pdf, top, y - top, outer)
    pdf.frame(MARGIN, top, CONTENT_W, y - top, width=RULE * 1.6)
    return y


def chosen(data: PacketData, proc: Procedure, options: list[Option]) -> Option | None:
    """The option a `choice` section ticks: the first whose conditions hold (an option with
    none is never ticked). A fact the
    option asks about that is unknown stops the search: nothing is ticked, the resident
    (or the clerk) ticks it."""
    subject = data.person(proc.person)
    for o in options:
        if not (o.procedures or o.events or o.facts):
            continue  # a choice the data cannot decide (その他): the resident's to tick
        if o.procedures and proc.id not in o.procedures:
            continue
        if o.events and not set(o.events) & set(data.events):
            continue
        facts = [(subject.facts.get(f) if subject else None, want) for f, want in o.facts]
        if any(have is None for have, _want in facts):
            return None
        if all(have == want for have, want in facts):
            return o
    return None


def _choice(pdf: Sheet, data: PacketData, proc: Procedure, s: Section, y: float,
            fill: Fill) -> float:  # fmt: skip
    """申請の理由 and the like: the form's own checkboxes, the right one ticked."""
    tick = chosen(data, proc, s.options)
    fill.count(tick is not None)
    x0 = MARGIN + LABEL_W
    w = CONTENT_W - LABEL_W
    size = 10.0
    # One box per label: several options may tick the same box under different conditions.
    labels = list(dict.fromkeys(o.label for o in s.options))
    lines: list[list[str]] = [[]]
    used = 0.0
    for label in labels:
        need = pdf.measure(label, size) + 9
        if used + need > w - 4 and lines[-1]:
            lines.append([])
            used = 0.0
        lines[-1].append(label)
        used += need
    lh = 7.5
    h = max(8.0, lh * len(lines) + 1)
    pdf.label_cell(MARGIN, y, LABEL_W, h, s.label, 8.5 if len(s.label) < 8 else 7.5)
    pdf.frame(x0, y, w, h, width=THIN)
    for i, line in enumerate(lines):
        x = x0 + 3
        ly = y + 0.5 + i * lh + (lh - size * PT * 1.3) / 2
        for label in line:
            on = tick is not None and label == tick.label
            x += pdf.choice(x, ly, label, on, size=size) + 1.5
    pdf.frame(MARGIN, y, CONTENT_W, h, width=RULE * 1.6)
    return y + h


def _subject(pdf: Sheet, p: PersonData, y: float, fill: Fill) -> float:
    """対象者: the person the procedure is for (may be the applicant)."""
    x, w = MARGIN + OUTER_W + LABEL_W, CONTENT_W - OUTER_W - LABEL_W
    top = y
    who = _who(p)
    values = [p.name, p.birth_date, sex_label(p), p.relation]
    values += [p.nationality, p.residence_status, p.residence_expiry, p.residence_card_no] \
        if p.is_foreign else [p.name_kana]  # fmt: skip
    for v in values:
        fill.count(bool(v))
    if not p.is_foreign:
        pdf.label_cell(MARGIN + OUTER_W, y, LABEL_W, 6.5, "フリガナ", 8.5)
        pdf.frame(x, y, w, 6.5, width=THIN)
        pdf.line_text(x + 3, y, p.name_kana, 9, h=6.5, who=who)
        y += 6.5
    pdf.label_cell(MARGIN + OUTER_W, y, LABEL_W, 10.5, "氏名", 8.5)
    pdf.frame(x, y, w, 10.5, width=THIN)
    pdf.name_text(x + 2.5, y + 0.3, w - 5, 10.5 - 0.6, p.name, 13, who=who)
    y += 10.5
    h = 9.0
    cells = [
        ("生年月日", person_date(p, p.birth_date)),
        ("性別", sex_label(p)),
        ("続柄", p.relation),
    ]
    widths = [(LABEL_W, 56.0), (16.0, 20.0), (16.0, CONTENT_W - OUTER_W - LABEL_W - 108.0)]
    cx = MARGIN + OUTER_W
    for (label, value), (lw, vw) in zip(cells, widths, strict=True):
        pdf.label_cell(cx, y, lw, h, label, 8.5)
        pdf.value_cell(cx + lw, y, vw, h, value, 10.5, align="C", who=who)
        cx += lw + vw
    y += h
    if p.is_foreign:
        half = (CONTENT_W - OUTER_W) / 2
        rows = [
            ("国籍・地域", p.nationality, "在留資格", p.residence_status),
            (
                "在留期間満了日",
                person_date(p, p.residence_expiry),
                "在留カード番号",
                p.residence_card_no,
            ),
        ]
        for l1, v1, l2, v2 in rows:
            pdf.label_cell(MARGIN + OUTER_W, y, LABEL_W, h, l1, 8)
            pdf.value_cell(x, y, half - LABEL_W, h, v1, 10, who=who)
            pdf.label_cell(MARGIN + OUTER_W + half, y, LABEL_W, h, l2, 8)
            pdf.value_cell(MARGIN + OUTER_W + half + LABEL_W, y, half - LABEL_W, h, v2, 10, who=who)
            y += h
    _outer(pdf, top, y - top, "対象者")
    pdf.frame(MARGIN, top, CONTENT_W, y - top, width=RULE * 1.6)
    return y


def _facts(pdf: Sheet, data: PacketData, proc: Procedure, y: float) -> float:
    x, w = MARGIN + LABEL_W, CONTENT_W - LABEL_W
    events = "・".join(data.event_names)
    rows = [
        ("届出の内容", f"{events}（異動日　{wareki(data.event_date, full=True)}）"),
        ("提出期限", f"{wareki(proc.deadline, full=True)}まで" if proc.deadline else "—"),
        ("添付書類等", "、".join(proc.bring) if proc.bring else "なし"),
    ]
    top = y
    for label, text in rows:
        h = max(8.0, pdf.block(x + 2, y, w - 4, text, 10.5, draw=False) + 2.4)
        pdf.label_cell(MARGIN, y, LABEL_W, h, label, 8.5)
        pdf.frame(x, y, w, h, width=THIN)
        pdf.block(x + 2.5, y + 1.2, w - 5, text, 10.5)
        y += h
    pdf.frame(MARGIN, top, CONTENT_W, y - top, width=RULE * 1.6)
    return y


def _staff(pdf: Sheet, proc: Procedure, y: float) -> None:
    lh, sh = 5.0, 13.0
    pdf.frame(MARGIN, y, 8, lh + sh, fill=SHADE, width=THIN)
    pdf.block(MARGIN + 0.5, y + 1.5, 7, "処理欄", 7.5, align="C", leading=1.25)
    x = MARGIN + 8
    cols = ["受付", "審査", "決裁", "入力", "備考"]
    w = (CONTENT_W - 8) / len(cols)
    for label in cols:
        pdf.label_cell(x, y, w, lh, label, 7.5)
        pdf.frame(x, y + lh, w, sh, width=THIN)
        x += w


def footer_line(pdf: Sheet, proc: Procedure) -> None:
    y = PAGE_H - 15.5
    pdf.hline(MARGIN, MARGIN + CONTENT_W, y - 1, THIN)
    where = f"{proc.department_name}（{proc.location}）" if proc.location else proc.department_name
    pdf.line_text(MARGIN, y, f"提出先：{where}", 9)
    pdf.line_text(MARGIN, y + 4.5, f"様式：{proc.form or proc.id}", 7.5)
