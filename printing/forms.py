"""Generic A4 application forms: one per `form` procedure that applies, pre-filled."""

from __future__ import annotations

from .data import IDOU_PROCEDURES, PacketData, PersonData, Procedure
from .idou import signature_box
from .layout import CONTENT_W, MARGIN, PAGE_H, RULE, SHADE, THIN, Sheet
from .slip import by_department
from .wording import full_address, person_date, sex_label, wareki, zip_code

LABEL_W = 26.0
OUTER_W = 12.0
HOUSEHOLD_ROWS = 8


def printable_forms(data: PacketData) -> list[Procedure]:
    """`form` procedures that apply, grouped by department; the 住民異動届 is drawn apart."""
    forms = [
        p
        for p in data.procedures
        if p.kind == "form" and p.status == "applies" and p.id not in IDOU_PROCEDURES
    ]
    return [p for _dept, procs in by_department(forms) for p in procs]


def draw_forms(pdf: Sheet, data: PacketData) -> None:
    for proc in printable_forms(data):
        _form(pdf, data, proc)


def _who(p: PersonData) -> str:
    return f"{p.name}（{p.key}）"


def _form(pdf: Sheet, data: PacketData, proc: Procedure) -> None:
    pdf.new_page()
    y = MARGIN
    pdf.line_text(MARGIN, y + 4, f"（あて先）{data.municipality}長", 10.5)
    y += 14
    pdf.block(
        MARGIN, y, CONTENT_W, proc.title or proc.id, 17, face=pdf.gothic, align="C", leading=1.25
    )
    y += pdf.block(MARGIN, y, CONTENT_W, proc.title or proc.id, 17, face=pdf.gothic, draw=False) + 3
    pdf.line_text(MARGIN, y, "次のとおり申請（届出）します。", 10.5)
    pdf.line_text(
        MARGIN, y, f"申請日　{wareki(data.issued_on, full=True)}", 10.5, w=CONTENT_W, align="R"
    )
    y += 7
    y = _applicant(pdf, data, y) + 3.5
    person = data.person(proc.person)
    y = (_subject(pdf, person, y) if person else _household(pdf, data, y)) + 3.5
    y = _facts(pdf, data, proc, y) + 4
    pdf.line_text(MARGIN, y, "上記のとおり相違ありません。", 10.5)
    y = signature_box(pdf, y + 6, "申請者署名", 20) + 2
    note = "※ 太枠の中は窓口で記入済みです。内容をご確認のうえ、署名欄にご署名ください。"
    pdf.line_text(MARGIN, y, note, 9)
    _staff(pdf, proc, max(y, PAGE_H - 52))
    _footer_line(pdf, proc)


def _outer(pdf: Sheet, y: float, h: float, label: str) -> None:
    pdf.label_cell(MARGIN, y, OUTER_W, h, label, 9)


def _applicant(pdf: Sheet, data: PacketData, y: float) -> float:
    a = data.applicant
    x, w = MARGIN + OUTER_W + LABEL_W, CONTENT_W - OUTER_W - LABEL_W
    addr = (
        data.old_address
        if any(e.startswith("tenshutsu") for e in data.events)
        else data.new_address
    )
    rows = [("フリガナ", 6.5), ("氏名", 10.5), ("住所", 14.0), ("電話番号", 8.0)]
    if a is not None and a.is_foreign:
        rows = rows[1:]  # a foreign resident's name is in the alphabet, without 振り仮名
    top = y
    for label, h in rows:
        pdf.label_cell(MARGIN + OUTER_W, y, LABEL_W, h, label, 8.5)
        pdf.frame(x, y, w, h, width=THIN)
        if a is not None and label == "フリガナ":
            pdf.line_text(x + 3, y, a.name_kana, 9, h=h, who=_who(a))
        elif a is not None and label == "氏名":
            pdf.line_text(x + 3, y, a.name, 13, h=h, who=_who(a))
        elif label == "住所":
            pdf.line_text(x + 2, y + 1, zip_code(addr), 9)
            pdf.block(x + 4, y + 5.5, w - 6, full_address(addr), 11, leading=1.2)
        elif label == "電話番号":
            pdf.line_text(x + 3, y, data.phone, 11, h=h)
        y += h
    _outer(pdf, top, y - top, "申請者")
    pdf.frame(MARGIN, top, CONTENT_W, y - top, width=RULE * 1.6)
    return y


def _subject(pdf: Sheet, p: PersonData, y: float) -> float:
    """対象者: the person the procedure is for (may be the applicant)."""
    x, w = MARGIN + OUTER_W + LABEL_W, CONTENT_W - OUTER_W - LABEL_W
    top = y
    who = _who(p)
    if not p.is_foreign:
        pdf.label_cell(MARGIN + OUTER_W, y, LABEL_W, 6.5, "フリガナ", 8.5)
        pdf.frame(x, y, w, 6.5, width=THIN)
        pdf.line_text(x + 3, y, p.name_kana, 9, h=6.5, who=who)
        y += 6.5
    pdf.label_cell(MARGIN + OUTER_W, y, LABEL_W, 10.5, "氏名", 8.5)
    pdf.frame(x, y, w, 10.5, width=THIN)
    pdf.line_text(x + 3, y, p.name, 13, h=10.5, who=who)
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


def _household(pdf: Sheet, data: PacketData, y: float) -> float:
    """対象: a once-per-visit procedure is for the household; list who moves with it."""
    top = y
    x0 = MARGIN + OUTER_W
    cols = [("氏名", 78.0), ("生年月日", 50.0), ("続柄", CONTENT_W - OUTER_W - 128.0)]
    h = 6.5
    cx = x0
    for label, w in cols:
        pdf.label_cell(cx, y, w, h, label, 8.5)
        cx += w
    y += h
    people = data.movers or data.people
    shown = people if len(people) <= HOUSEHOLD_ROWS else people[: HOUSEHOLD_ROWS - 1]
    for p in shown:
        cx = x0
        values = [p.name, person_date(p, p.birth_date), p.relation]
        for (label, w), v in zip(cols, values, strict=True):
            pdf.value_cell(cx, y, w, 8, v, 11 if label == "氏名" else 10, who=_who(p),
                           align="L" if label == "氏名" else "C")  # fmt: skip
            cx += w
        y += 8
    if len(shown) < len(people):
        # A large household would push the signature off the page; the 住民異動届 lists all.
        rest = f"ほか{len(people) - len(shown)}名（住民異動届のとおり）"
        pdf.value_cell(x0, y, CONTENT_W - OUTER_W, 8, rest, 10.5)
        y += 8
    _outer(pdf, top, y - top, "対象")
    pdf.frame(MARGIN, top, CONTENT_W, y - top, width=RULE * 1.6)
    return y


def _facts(pdf: Sheet, data: PacketData, proc: Procedure, y: float) -> float:
    x, w = MARGIN + LABEL_W, CONTENT_W - LABEL_W
    events = "・".join(data.event_names)
    rows = [
        ("届出の内容", f"{events}（異動日　{wareki(data.event_date, full=True)}）"),
        ("申請の理由", proc.reason or "—"),
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


def _footer_line(pdf: Sheet, proc: Procedure) -> None:
    y = PAGE_H - 15.5
    pdf.hline(MARGIN, MARGIN + CONTENT_W, y - 1, THIN)
    where = f"{proc.department_name}（{proc.location}）" if proc.location else proc.department_name
    pdf.line_text(MARGIN, y, f"提出先：{where}", 9)
    pdf.line_text(MARGIN, y + 4.5, f"様式：{proc.form or proc.id}", 7.5)
