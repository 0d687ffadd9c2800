"""受付案内票: every procedure of the visit, by department, with where to go and why."""

from __future__ import annotations

from catalog.pack import KIND_LABELS

from .data import PacketData, Procedure
from .sheet import CONTENT_W, LIGHT, MARGIN, PAGE_H, PT, RULE, SHADE, THIN, Sheet
from .templates_loader import FormTemplate, load_templates
from .wording import department_rank, full_address, wareki

BODY = 10.0
SMALL = 8.5
PAD = 1.4
BOTTOM = PAGE_H - 16  # the footer's page number sits below this line

# 手続き | 対象者 | 区分 | 期限 | 持ち物 (mm, summing to the content width)
COLUMNS = [("手続き", 52.0), ("対象者", 30.0), ("区分", 16.0), ("期限", 41.0), ("持ち物", 41.0)]


def by_department(procedures: list[Procedure]) -> list[tuple[str, list[Procedure]]]:
    groups: dict[str, list[Procedure]] = {}
    for p in procedures:
        groups.setdefault(p.department, []).append(p)
    # Stable sort: departments outside the canonical list keep their order of appearance.
    return sorted(groups.items(), key=lambda kv: department_rank(kv[0]))


def for_whom(data: PacketData, proc: Procedure) -> str:
    person = data.person(proc.person)
    return person.name if person else "世帯"


def overdue(data: PacketData, proc: Procedure) -> bool:
    """期限超過: the visit is taken after the procedure's deadline."""
    return proc.deadline is not None and proc.deadline < data.issued_on


def _deadline(data: PacketData, proc: Procedure) -> str:
    if not proc.deadline:
        return "—"
    return f"{wareki(proc.deadline)}まで" + ("\n【期限超過】" if overdue(data, proc) else "")


def _bring(proc: Procedure) -> str:
    return "\n".join(f"・{b}" for b in proc.bring) if proc.bring else "—"


def fill_total_line(fills) -> str:
    filled = sum(f.prefilled for f in fills)
    left = sum(f.to_write for f in fills)
    signs = sum(f.signatures for f in fills)
    return (f"申請書 {len(fills)}枚：窓口で記入済み {filled}項目・ご記入いただく項目 {left}"
            f"（ほかに署名 {signs}か所）")  # fmt: skip


def draw_fill_total(pdf: Sheet) -> None:
    page, y = pdf.fill_total_at
    last = pdf.page
    pdf.page = page
    pdf.line_text(MARGIN, y, fill_total_line(pdf.fills), BODY, face=pdf.gothic)
    pdf.page = last


def draw_slip(pdf: Sheet, data: PacketData) -> None:
    _new_page(pdf)
    y = _header(pdf, data)
    for _dept, procs in by_department(data.procedures):
        head = procs[0]
        if y + 7.5 + 6 + 14 > BOTTOM:
            _new_page(pdf)
            y = MARGIN + 8
        y = _department_bar(pdf, y, head) + 0
        y = _column_header(pdf, y)
        for proc in procs:
            main_h, sub_h = _row(pdf, data, y, proc, draw=False)
            if y + main_h + sub_h > BOTTOM:
                _new_page(pdf)
                y = _department_bar(pdf, MARGIN + 8, head, cont=True)
                y = _column_header(pdf, y)
            _row(pdf, data, y, proc, draw=True)
            y += main_h + sub_h
        y += 4


def _header(pdf: Sheet, data: PacketData) -> float:
    y = MARGIN
    pdf.line_text(MARGIN, y, data.municipality, 11, face=pdf.gothic)
    pdf.line_text(MARGIN, y + 6, "受付案内票", 20, face=pdf.gothic, w=CONTENT_W, align="C")
    pdf.line_text(MARGIN, y + 15, "（本日の手続きの一覧）", 9.5, w=CONTENT_W, align="C")
    y += 22
    applicant = data.applicant
    rows = [
        ("受付番号", data.visit_number, "発行日", wareki(data.issued_on)),
        ("届出の内容", "・".join(data.event_names), "異動日", wareki(data.event_date)),
        ("届出人", f"{applicant.name}　様" if applicant else "", "電話番号", data.phone),
    ]
    lw, vw = 22.0, CONTENT_W / 2 - 22.0
    h = 8.0
    for l1, v1, l2, v2 in rows:
        who = "届出人" if l1 == "届出人" else None
        pdf.label_cell(MARGIN, y, lw, h, l1, SMALL)
        pdf.value_cell(MARGIN + lw, y, vw, h, v1, BODY, who=who)
        pdf.label_cell(MARGIN + lw + vw, y, lw, h, l2, SMALL)
        pdf.value_cell(MARGIN + 2 * lw + vw, y, vw, h, v2, BODY)
        y += h
    pdf.label_cell(MARGIN, y, lw, h, "住所", SMALL)
    pdf.value_cell(
        MARGIN + lw, y, CONTENT_W - lw, h, full_address(data.new_address, full=False), BODY
    )
    y += h
    pdf.frame(MARGIN, y - 4 * h, CONTENT_W, 4 * h, width=RULE * 1.6)
    y += 3
    counts = {k: 0 for k in KIND_LABELS}
    for p in data.procedures:
        counts[p.kind] = counts.get(p.kind, 0) + 1
    open_items = sum(1 for p in data.procedures if p.status == "needs_check")
    summary = "・".join(f"{label} {counts.get(k, 0)}件" for k, label in KIND_LABELS.items())
    pdf.line_text(
        MARGIN, y, f"手続き {len(data.procedures)}件（{summary}）　要確認 {open_items}件", BODY
    )
    # The pre-fill total is known only once the forms are drawn: render_packet writes it here.
    pdf.fill_total_at = (pdf.page, y + 5.5)
    y += 11
    note = (
        "各窓口でこの案内票をお見せください。申請書は記入済みです。内容をご確認のうえ、"
        "署名欄と、空欄で印刷した欄（振込先の口座など）にご記入ください。"
        "「要確認」の手続きは、窓口で確認のうえご案内します。"
    )
    y += pdf.block(MARGIN, y, CONTENT_W, note, 9.0)
    return y + 3


def _department_bar(pdf: Sheet, y: float, head: Procedure, cont: bool = False) -> float:
    h = 7.5
    pdf.frame(MARGIN, y, CONTENT_W, h, fill=SHADE, width=RULE)
    name = head.department_name + ("（続き）" if cont else "")
    pdf.line_text(MARGIN + 2, y, name, 11.5, face=pdf.gothic, h=h)
    if head.location:
        pdf.line_text(
            MARGIN + 60, y, f"窓口：{head.location}", 10, w=CONTENT_W - 62, h=h, align="R"
        )
    return y + h


def _column_header(pdf: Sheet, y: float) -> float:
    h = 5.5
    x = MARGIN
    for label, w in COLUMNS:
        pdf.frame(x, y, w, h, fill=LIGHT, width=THIN)
        pdf.line_text(x, y, label, SMALL, w=w, h=h, align="C")
        x += w
    return y + h


def not_printed(proc: Procedure) -> FormTemplate | None:
    """The template of a `form` procedure the packet does not print (kind slip_only)."""
    if proc.kind != "form":
        return None
    t = load_templates().get(proc.form or "")
    return t if t is not None and t.kind == "slip_only" else None


def _row(pdf: Sheet, data: PacketData, y: float, proc: Procedure, *, draw: bool):
    lh = BODY * PT * 1.3
    kind = KIND_LABELS.get(proc.kind, proc.kind)
    omitted = not_printed(proc)
    if omitted is not None:
        kind = omitted.slip_label or "窓口で記入"
    texts = [proc.title or proc.id, for_whom(data, proc), kind, _deadline(data, proc), _bring(proc)]
    wrapped = [pdf.wrap(t, w - 2 * PAD, BODY) for t, (_l, w) in zip(texts, COLUMNS, strict=True)]
    needs_check = proc.status == "needs_check"
    n = max(max(len(ls) for ls in wrapped), 2 if needs_check else 1)
    main_h = n * lh + 2 * PAD

    sub_size = 9.0
    slh = sub_size * PT * 1.3
    label_w = 14.0
    sub_w = CONTENT_W - label_w - 2 * PAD
    lines = pdf.wrap(proc.reason or "—", sub_w, sub_size)
    question = pdf.wrap(proc.question or "", sub_w, sub_size) if needs_check else []
    late = pdf.wrap(proc.late, sub_w, sub_size) if proc.late and overdue(data, proc) else []
    note = pdf.wrap(omitted.note, sub_w, sub_size) if omitted is not None and omitted.note else []
    sub_h = (len(lines) + len(question) + len(late) + len(note)) * slh + 2 * PAD * 0.6
    if not draw:
        return main_h, sub_h

    x = MARGIN
    person = data.person(proc.person)
    for i, ((_label, w), ls) in enumerate(zip(COLUMNS, wrapped, strict=True)):
        pdf.frame(x, y, w, main_h, width=THIN)
        who = f"{person.name}（{person.key}）" if (i == 1 and person) else None
        align = "C" if i == 2 else "L"
        for j, ln in enumerate(ls):
            pdf.line_text(
                x + PAD, y + PAD + j * lh, ln, BODY, w=w - 2 * PAD, h=lh, align=align, who=who
            )
        if i == 2 and needs_check:
            # The 要確認 mark is boxed so it reads at a glance among the kind labels.
            mw = pdf.measure("要確認", SMALL) + 2
            mx = x + (w - mw) / 2
            my = y + PAD + lh + 0.4
            pdf.frame(mx, my, mw, lh - 0.8, fill=(0, 0, 0))
            pdf.set_text_color(255)
            pdf.line_text(mx, my, "要確認", SMALL, face=pdf.gothic, w=mw, h=lh - 0.8, align="C")
            pdf.set_text_color(0)
        x += w

    sy = y + main_h
    pdf.frame(MARGIN, sy, CONTENT_W, sub_h, width=THIN)
    pdf.shade(MARGIN + THIN / 2, sy + THIN / 2, label_w - THIN, sub_h - THIN, LIGHT)
    pdf.vline(MARGIN + label_w, sy, sy + sub_h)
    ty = sy + PAD * 0.6
    pdf.line_text(MARGIN, ty, "理由", SMALL, w=label_w, h=slh, align="C")
    for j, ln in enumerate(lines):
        pdf.line_text(MARGIN + label_w + PAD, ty + j * slh, ln, sub_size, h=slh)
    if question:
        qy = ty + len(lines) * slh
        pdf.line_text(MARGIN, qy, "確認事項", 7.5, w=label_w, h=slh, align="C", face=pdf.gothic)
        for j, ln in enumerate(question):
            pdf.line_text(
                MARGIN + label_w + PAD, qy + j * slh, ln, sub_size, h=slh, face=pdf.gothic
            )
    if note:
        ny = ty + (len(lines) + len(question)) * slh
        pdf.line_text(MARGIN, ny, "ご案内", 7.5, w=label_w, h=slh, align="C", face=pdf.gothic)
        for j, ln in enumerate(note):
            pdf.line_text(MARGIN + label_w + PAD, ny + j * slh, ln, sub_size, h=slh,
                          face=pdf.gothic)  # fmt: skip
    if late:
        ly = ty + (len(lines) + len(question) + len(note)) * slh
        pdf.line_text(MARGIN, ly, "期限超過", 7.5, w=label_w, h=slh, align="C", face=pdf.gothic)
        for j, ln in enumerate(late):
            pdf.line_text(MARGIN + label_w + PAD, ly + j * slh, ln, sub_size, h=slh)
    return main_h, sub_h


def _new_page(pdf: Sheet) -> None:
    pdf.new_page()
    # On the page-number line, so the note never needs a page of its own.
    note = "※ 期限は届出日・異動日から数えた日付です。ご不明な点は各窓口におたずねください。"
    pdf.line_text(MARGIN, PAGE_H - 10, note, 8)
