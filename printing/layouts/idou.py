"""kind: dedicated — the 住民異動届: one form for all movers, laid out like the paper form
(resident-record.md), drawn once per packet when the visit moves (PacketData.move)."""

from __future__ import annotations

from lib.text import to_fullwidth_digits

from ..data import IDOU_PROCEDURES, MOVE_LABELS, Fill, PacketData, PersonData
from ..sheet import CONTENT_W, MARGIN, PAGE_H, PT, RULE, SHADE, THIN, Sheet
from ..wording import address_line, full_address, katagaki, person_date, sex_label, wareki, zip_code
from . import register

LABEL_W = 24.0
MAIN_SHEET_ROWS = 5  # as many person rows as fit the paper form's box; more go on a 続紙
NAME_H = 12.0  # フリガナ and 氏名 (or a foreign resident's alphabet name)
BAND_H = 6.5  # each band of legal items below the name: 本籍・筆頭者・住民票コード…
JP_ROW_H = NAME_H + BAND_H
FOREIGN_ROW_H = NAME_H + 3 * BAND_H
ROWS_TOP_MAIN = 106.0
ROWS_BOTTOM_MAIN = 200.0
CONT_ROWS_H = PAGE_H - 18 - 82.0 - JP_ROW_H  # below a 続紙's header, above its 以下余白 row
# No | 氏名 | 生年月日 | 性別 | 続柄 | 個人番号カード
COLUMNS = [("No", 8.0), ("フリガナ\n氏名", 70.0), ("生年月日", 42.0), ("性別", 14.0),
           ("続柄", 20.0), ("個人番号\nカード", 26.0)]  # fmt: skip

# Cross-department boxes, ticked when the visit has an applicable procedure of that kind.
LIAISON = [
    ("国保", ("kokuho_",)),
    ("後期高齢", ("koki_",)),
    ("介護", ("kaigo_",)),
    ("年金", ("nenkin_",)),
    ("児童手当", ("jidoteate_",)),
    ("子ども医療", ("kodomo_iryo",)),
]


def needs_idou(data: PacketData) -> bool:
    return any(p.id in IDOU_PROCEDURES for p in data.procedures) or data.move is not None


def row_height(p: PersonData) -> float:
    return FOREIGN_ROW_H if p.is_foreign else JP_ROW_H


def split_rows(movers: list[PersonData], first: int, first_h: float, later_h: float):
    """Movers per sheet: up to `first` rows fitting first_h, then sheets of later_h."""
    sheets: list[list[PersonData]] = [[]]
    used, limit, cap = 0.0, first_h, first
    for p in movers:
        h = row_height(p)
        if sheets[-1] and (used + h > limit or len(sheets[-1]) >= cap):
            sheets.append([])
            used, limit, cap = 0.0, later_h, 10**6
        sheets[-1].append(p)
        used += h
    return sheets


def idou_fill(data: PacketData) -> Fill:
    """What the 住民異動届 asks, counted as the generic forms count their boxes."""
    fill = Fill("jumin_ido", next((p.id for p in data.procedures if p.id in IDOU_PROCEDURES),
                                  "jumin_ido"), "", signatures=1)  # fmt: skip
    a = data.applicant
    values = [data.issued_on, data.event_date, full_address(data.new_address),
              full_address(data.old_address), data.household_head_name,
              a.name if a else "", data.phone]  # fmt: skip
    # Legal items staff copy from the 転出証明書 or the register: counted when known, never
    # a box the resident owes (like an office's numbers, dictionary.Field.assigned).
    known = [data.household_facts.get("tennyu_document")]
    for p in data.movers:
        values += [p.name, p.birth_date, sex_label(p), p.relation, p.has_mynumber_card is not None]
        values += [p.residence_status, p.residence_card_no] if p.is_foreign else [p.name_kana]
        known += [p.facts.get(k) for k in ("honseki", "hittosha", "juminhyo_code", "section_30_45")]
    for v in values:
        fill.count(bool(v))
    for v in known:
        if v:
            fill.count(True)
    return fill


def draw_idou(pdf: Sheet, data: PacketData) -> None:
    fill = idou_fill(data)
    pdf.fills.append(fill)
    pdf.sign_here = data.signs(fill)
    movers = data.movers
    sheets = split_rows(movers, MAIN_SHEET_ROWS, ROWS_BOTTOM_MAIN - ROWS_TOP_MAIN, CONT_ROWS_H)
    _main_sheet(pdf, data, sheets[0], sheets=len(sheets))
    start = len(sheets[0])
    for i, rows in enumerate(sheets[1:], start=2):
        _continuation(pdf, data, rows, i, len(sheets), start)
        start += len(rows)


def _kind_choices(pdf: Sheet, x: float, y: float, data: PacketData) -> None:
    marked = {MOVE_LABELS.get(data.move)}
    for label in ("転入", "転居", "転出", "世帯変更"):
        x += pdf.choice(x, y, label, label in marked, size=12)


# 転入 from another municipality: closed by a 転出証明書, or the card's 特例転入 (住基法24条の2).
TENNYU_DOCUMENTS = (("certificate", "転出証明書"), ("tokurei", "特例転入（マイナンバーカード）"))


def _tennyu_document(pdf: Sheet, data: PacketData, x: float, y: float) -> None:
    """Which document closed the 転出 (tennyu_document); neither ticked when not told."""
    if data.move != "in" or data.abroad:
        return
    doc = data.household_facts.get("tennyu_document")
    x += pdf.line_text(x, y, "転出の証明：", 9, h=9 * PT * 1.3) + 1
    for value, label in TENNYU_DOCUMENTS:
        x += pdf.choice(x, y, label, doc == value, size=9)


def _title(pdf: Sheet, data: PacketData, title: str) -> float:
    y = MARGIN
    pdf.line_text(MARGIN, y, f"（あて先）{data.municipality}長", 10.5)
    y += 7
    pdf.line_text(MARGIN, y, title, 20, face=pdf.gothic, h=11)
    _kind_choices(pdf, MARGIN + 78, y + 0.3, data)
    _tennyu_document(pdf, data, MARGIN + 78, y + 6.6)
    return y + 13


def _dates(pdf: Sheet, data: PacketData, y: float) -> float:
    h = 9.0
    vw = CONTENT_W / 2 - LABEL_W
    moved_label = "転出予定日" if data.leaving else "異動年月日"
    pdf.label_cell(MARGIN, y, LABEL_W, h, "届出年月日")
    pdf.value_cell(MARGIN + LABEL_W, y, vw, h, wareki(data.issued_on, full=True), 11)
    pdf.label_cell(MARGIN + LABEL_W + vw, y, LABEL_W, h, moved_label)
    pdf.value_cell(MARGIN + 2 * LABEL_W + vw, y, vw, h, wareki(data.event_date, full=True), 11)
    pdf.frame(MARGIN, y, CONTENT_W, h, width=RULE * 1.6)
    return y + h


def _address_rows(pdf: Sheet, data: PacketData, y: float) -> float:
    top = y
    vw = CONTENT_W - LABEL_W
    abroad = "country" in (data.old_address or {})
    for label, addr in (("新住所", data.new_address), ("旧住所", data.old_address)):
        h = 14.0
        lbl = "旧住所\n（国外）" if (label == "旧住所" and abroad) else label
        pdf.label_cell(MARGIN, y, LABEL_W, h, lbl)
        pdf.frame(MARGIN + LABEL_W, y, vw, h, width=THIN)
        if "country" in (addr or {}):
            pdf.line_text(
                MARGIN + LABEL_W + 2, y + 1, f"国名・地域　{addr.get('country', '')}", 9.5
            )
            pdf.value_cell(MARGIN + LABEL_W, y + 5.5, vw, h - 5.5, addr.get("text", ""), 10.5)
            pdf.frame(MARGIN + LABEL_W, y, vw, h, width=THIN)
        else:
            pdf.line_text(MARGIN + LABEL_W + 2, y + 1, zip_code(addr), 9.5)
            pdf.line_text(MARGIN + LABEL_W + 4, y + 6, address_line(addr), 12, w=vw - 6, h=6.5)
        y += h
        if label == "新住所":
            pdf.label_cell(MARGIN, y, LABEL_W, 8, "方書")
            pdf.value_cell(MARGIN + LABEL_W, y, vw, 8, katagaki(addr), 11)
            y += 8
        head = data.household_head_name if label == "新住所" else data.old_household_head_name
        pdf.label_cell(MARGIN, y, LABEL_W, 9, f"{label[0]}世帯主")
        pdf.value_cell(MARGIN + LABEL_W, y, vw, 9, head, 12, who=f"{label[0]}世帯主")
        y += 9
    pdf.frame(MARGIN, top, CONTENT_W, y - top, width=RULE * 1.6)
    return y


def _rows_header(pdf: Sheet, y: float) -> float:
    h = 9.0
    x = MARGIN
    for label, w in COLUMNS:
        pdf.label_cell(x, y, w, h, label, 8)
        x += w
    return y + h


def _person_row(pdf: Sheet, y: float, no: int, p: PersonData | None, blank_note: str = "",
                move: str | None = None) -> float:  # fmt: skip
    x = MARGIN
    widths = [w for _l, w in COLUMNS]
    h = row_height(p) if p else JP_ROW_H
    main_h = NAME_H
    for w in widths:
        pdf.frame(x, y, w, main_h, width=THIN)
        x += w
    xs = [MARGIN]
    for w in widths:
        xs.append(xs[-1] + w)
    pdf.frame(xs[0], y, widths[0], h, width=THIN)
    pdf.line_text(xs[0], y, to_fullwidth_digits(str(no)), 9, w=widths[0], h=h, align="C")
    if p is None:
        _bands(pdf, xs[1], y + main_h, CONTENT_W - widths[0], None, [_JP_BAND])
        if blank_note:
            pdf.line_text(xs[1] + 3, y, blank_note, 10, h=main_h)
        return y + h
    who = f"{p.name}（{p.key}）"
    # フリガナ above a dotted split, the name below, as on the paper form. A foreign
    # resident's 振り仮名 is not on the register: printed when the counter was told it.
    pdf.set_dash_pattern(dash=0.6, gap=0.6)
    pdf.hline(xs[1], xs[2], y + 4.4, THIN)
    pdf.set_dash_pattern()
    pdf.line_text(xs[1] + 2, y + 0.2, p.name_kana, 7.5, h=4.0, who=who)
    pdf.name_text(xs[1] + 1.5, y + 4.6, widths[1] - 3, main_h - 4.8, p.name, 12.5, who=who)
    born = person_date(p, p.birth_date)
    pdf.line_text(
        xs[2], y, born, pdf.fit(born, widths[2] - 2, 10), w=widths[2], h=main_h, align="C"
    )
    pdf.line_text(xs[3], y, sex_label(p), 10.5, w=widths[3], h=main_h, align="C")
    pdf.line_text(xs[4], y, p.relation, 10.5, w=widths[4], h=main_h, align="C", who=who)
    _card_cell(pdf, xs[5], y, widths[5], main_h, p, move)
    f = p.facts
    if p.is_foreign:
        bands = [
            [("国籍・地域", p.nationality, 0.5), ("在留資格", p.residence_status, 0.5)],
            [("在留期間満了日", person_date(p, p.residence_expiry), 0.5),
             ("在留カード番号", p.residence_card_no, 0.5)],
            [("法30条の45区分", f.get("section_30_45") or "", 0.5),
             ("住民票コード", to_fullwidth_digits(f.get("juminhyo_code") or ""), 0.5)],
        ]  # fmt: skip
    else:
        bands = [[("本籍", to_fullwidth_digits(f.get("honseki") or ""), 0.46),
                  ("筆頭者", f.get("hittosha") or "", 0.27),
                  ("住民票コード", to_fullwidth_digits(f.get("juminhyo_code") or ""), 0.27)]]  # fmt: skip
    _bands(pdf, xs[1], y + main_h, CONTENT_W - widths[0], who, bands)
    return y + h


# An empty row's band: the boxes a mover's row has, left blank for staff.
_JP_BAND = [("本籍", "", 0.46), ("筆頭者", "", 0.27), ("住民票コード", "", 0.27)]


def _bands(pdf: Sheet, x: float, y: float, w: float, who, bands) -> None:
    """Rows of label | value cells below the name; an unknown value is left blank."""
    for i, cells in enumerate(bands):
        cx = x
        for label, value, share in cells:
            cw = w * share
            lw = min(max(pdf.measure(label, 6.5) + 2.5, 9.0), cw / 2)
            pdf.label_cell(cx, y + i * BAND_H, lw, BAND_H, label, 6.5)
            pdf.value_cell(cx + lw, y + i * BAND_H, cw - lw, BAND_H, value, 9, who=who, pad=1.2)
            cx += cw


def _card_cell(pdf: Sheet, x: float, y: float, w: float, h: float, p: PersonData, move) -> None:
    """有・無 circled; and for a card holder who moves here or within, the box that says
    the card's 記載事項 (the address on its back) is changed at the counter."""
    _yes_no(pdf, x, y - 2.2, w, h, p.has_mynumber_card)
    changes = p.has_mynumber_card is True and move in ("in", "within")
    pdf.checkbox(x + 1.2, y + h - 4.1, changes, 2.6)
    pdf.line_text(x + 4.3, y + h - 4.6, "記載事項変更", 6.5, h=3.6)


def _yes_no(pdf: Sheet, x: float, y: float, w: float, h: float, value: bool | None) -> None:
    size = 9.5
    em = size * PT
    mid = x + w / 2
    left, right = mid - em / 2 - 1.2 - em, mid + em / 2 + 1.2
    pdf.line_text(left, y, "有", size, h=h)
    pdf.line_text(mid - em / 2, y, "・", size, h=h)
    pdf.line_text(right, y, "無", size, h=h)
    if value is not None:
        # Circle the answer, as staff would on the paper form.
        pdf.ring((left if value else right) + em / 2, y + h / 2 - 0.5, em + 1.4, em + 1.4)


def _liaison(pdf: Sheet, data: PacketData, y: float) -> float:
    h = 9.0
    applies = [p.id for p in data.procedures if p.status == "applies"]
    pdf.label_cell(MARGIN, y, LABEL_W, h, "関係課連絡", 8)
    pdf.frame(MARGIN + LABEL_W, y, CONTENT_W - LABEL_W, h, width=THIN)
    x = MARGIN + LABEL_W + 3
    for label, prefixes in LIAISON:
        ticked = any(pid.startswith(prefixes) for pid in applies)
        x += pdf.choice(x, y + (h - 10.5 * PT * 1.3) / 2, label, ticked, size=10.5) + 1
    pdf.frame(MARGIN, y, CONTENT_W, h, width=RULE * 1.6)
    return y + h


def _applicant(pdf: Sheet, data: PacketData, y: float) -> float:
    a = data.applicant
    outer = 14.0
    lw = 18.0
    vx = MARGIN + outer + lw
    vw = CONTENT_W - outer - lw
    rows = 3
    h = 8.5
    pdf.label_cell(MARGIN, y, outer, rows * h, "届出人", 9)
    if a is not None:
        role = "本人" if a.moving else ("世帯主" if a.relation == "世帯主" else "代理人")
    else:
        role = "代理人"
    addr = data.old_address if data.leaving else data.new_address
    pdf.label_cell(MARGIN + outer, y, lw, h, "氏名")
    pdf.frame(vx, y, vw, h, width=THIN)
    if a is not None:
        # The 本人・世帯主・代理人 choices take the right 62 mm: a long name wraps before them.
        pdf.name_text(vx + 2, y + 0.2, vw - 65, h - 0.4, a.name, 12.5, who=f"{a.name}（{a.key}）")
    cx = vx + vw - 62
    for label in ("本人", "世帯主", "代理人"):
        cx += pdf.choice(cx, y + (h - 10 * PT * 1.3) / 2, label, role == label, size=10)
    pdf.label_cell(MARGIN + outer, y + h, lw, h, "住所")
    pdf.value_cell(vx, y + h, vw, h, full_address(addr), 10.5)
    pdf.label_cell(MARGIN + outer, y + 2 * h, lw, h, "電話番号")
    pdf.value_cell(vx, y + 2 * h, vw, h, to_fullwidth_digits(data.phone), 11)
    pdf.frame(MARGIN, y, CONTENT_W, rows * h, width=RULE * 1.6)
    return y + rows * h


def signature_box(pdf: Sheet, y: float, label: str = "届出人署名", h: float = 20.0) -> float:
    """The one blank the resident fills in; nothing else on the packet is left to write."""
    lw = LABEL_W
    pdf.label_cell(MARGIN, y, lw, h, label, 9)
    pdf.frame(MARGIN + lw, y, CONTENT_W - lw, h, width=RULE * 1.6)
    pdf.frame(MARGIN, y, CONTENT_W, h, width=RULE * 1.6)
    pdf.sign(MARGIN + lw, y, CONTENT_W - lw, h)
    return y + h


def _staff(pdf: Sheet, y: float) -> float:
    lh, sh = 5.0, 14.0
    cols = [
        ("受付", 24.0),
        ("入力", 24.0),
        ("審査", 24.0),
        ("本人確認書類", CONTENT_W - 72.0 - 8.0),
    ]
    pdf.frame(MARGIN, y, 8, lh + sh, fill=SHADE, width=THIN)
    pdf.block(MARGIN + 0.5, y + 1.5, 7, "処理欄", 7.5, align="C", leading=1.25)
    x = MARGIN + 8
    for label, w in cols:
        pdf.label_cell(x, y, w, lh, label, 7.5)
        pdf.frame(x, y + lh, w, sh, width=THIN)
        x += w
    ix = MARGIN + 8 + 72 + 2
    docs = ["マイナンバーカード", "運転免許証", "パスポート", "在留カード", "その他（　　　）"]
    cx, cy = ix, y + lh + 1.2
    for d in docs:
        wd = pdf.measure(d, 8) + 3.0 + 1.0 + 3.5
        if cx + wd > MARGIN + CONTENT_W:
            cx, cy = ix, cy + 5.5
        cx += pdf.choice(cx, cy, d, False, size=8)
    return y + lh + sh


def _main_sheet(pdf: Sheet, data: PacketData, rows: list[PersonData], sheets: int) -> None:
    pdf.new_page()
    continued = sheets > 1
    y = _title(pdf, data, "住民異動届")
    if continued:
        pdf.line_text(MARGIN, y - 5.5, f"1枚目／全{sheets}枚", 9.5, w=CONTENT_W, align="R")
    y = _dates(pdf, data, y + 1)
    y = _address_rows(pdf, data, y + 2.5)
    y = _rows_header(pdf, max(y + 2.0, ROWS_TOP_MAIN - 9))
    top = y
    used = 0.0
    for i, p in enumerate(rows, start=1):
        y = _person_row(pdf, y, i, p, move=data.move)
        used += row_height(p)
    n = len(rows)
    note = "以下続紙" if continued else "以下余白"
    while n < MAIN_SHEET_ROWS and y + JP_ROW_H <= ROWS_BOTTOM_MAIN + 0.01:
        n += 1
        y = _person_row(pdf, y, n, None, note if n == len(rows) + 1 else "")
    if continued:
        pdf.line_text(MARGIN, y + 0.5, "※ 異動者が多いため、続紙に続きます。", 8.5)
    pdf.frame(MARGIN, top - 9, CONTENT_W, y - top + 9, width=RULE * 1.6)
    y = max(y + 4.5, ROWS_BOTTOM_MAIN + 4)
    y = _liaison(pdf, data, y) + 3
    y = _applicant(pdf, data, y) + 3
    y = signature_box(pdf, y, h=16.0) + 3
    _staff(pdf, y)


def _continuation(
    pdf: Sheet, data: PacketData, rows, sheet_no: int, sheets: int, start: int
) -> None:
    pdf.new_page()
    y = _title(pdf, data, "住民異動届（続紙）")
    pdf.line_text(MARGIN, y, f"{sheet_no}枚目／全{sheets}枚", 9.5, w=CONTENT_W, align="R")
    y = _dates(pdf, data, y + 6)
    vw = CONTENT_W - LABEL_W
    y += 2.5
    pdf.label_cell(MARGIN, y, LABEL_W, 9, "新住所")
    pdf.value_cell(MARGIN + LABEL_W, y, vw, 9, full_address(data.new_address), 11)
    pdf.label_cell(MARGIN, y + 9, LABEL_W, 9, "新世帯主")
    pdf.value_cell(MARGIN + LABEL_W, y + 9, vw, 9, data.household_head_name, 12, who="新世帯主")
    pdf.frame(MARGIN, y, CONTENT_W, 18, width=RULE * 1.6)
    y = _rows_header(pdf, y + 18 + 2.5)
    top = y
    for i, p in enumerate(rows, start=start + 1):
        y = _person_row(pdf, y, i, p, move=data.move)
    if sheet_no == sheets:
        y = _person_row(pdf, y, start + len(rows) + 1, None, "以下余白")
    pdf.frame(MARGIN, top - 9, CONTENT_W, y - top + 9, width=RULE * 1.6)


@register("dedicated")
def draw_dedicated(pdf: Sheet, data: PacketData, proc, t, fill: Fill) -> None:
    """A procedure that names the 住民異動届 without being a move (世帯主変更届): the generic
    layout with the default sections. The movers' sheets are drawn once per packet (above)."""
    from .generic import draw

    draw(pdf, data, proc, t, fill)
