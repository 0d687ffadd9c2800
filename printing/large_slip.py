"""窓口のご案内（大きな文字）: for an elderly applicant, the counters to visit in the order
one walks the building, with each floor and 窓口, in BIZ UDゴシック at 12 pt or more."""

from __future__ import annotations

from lib.age import legal_age

from .data import PacketData, Stop
from .sheet import CONTENT_W, MARGIN, PAGE_H, PT, RULE, SHADE, THIN, Sheet
from .slip import by_department, for_whom
from .wording import wareki

BODY = 14.0  # never below 12 pt (issue 13): elderly residents read it on their way round
SMALL = 12.0
BOTTOM = PAGE_H - 18


def route_of(pack) -> list[Stop]:
    """A catalog pack's departments with their floors and 窓口 (read by their fields only)."""
    return [Stop(d.id, d.name, d.floor or d.location, d.counter, d.route)
            for d in pack.departments.values()]  # fmt: skip


def wants_large_slip(data: PacketData) -> bool:
    a = data.applicant
    if data.large_slip_age is None or a is None or a.birth_date is None:
        return False
    return legal_age(a.birth_date, data.issued_on) >= data.large_slip_age


def stops(data: PacketData) -> list[tuple[Stop, list]]:
    """The departments the visit has procedures at, in route order (the pack's `route`;
    a department without one after, in the slip's order), each with its procedures."""
    known = {s.department: s for s in data.route}
    out = []
    for dept, procs in by_department(data.procedures):
        head = procs[0]
        stop = known.get(dept) or Stop(dept, head.department_name, head.location)
        out.append((stop, procs))
    return sorted(out, key=lambda sp: sp[0].route or 10**6)


def draw_large_slip(pdf: Sheet, data: PacketData) -> None:
    face = pdf.fontset.ud
    pdf.new_page()
    y = MARGIN + 2
    pdf.line_text(MARGIN, y, data.municipality, SMALL, face=face)
    y += 8
    pdf.line_text(MARGIN, y, "窓口のご案内", 24, face=face, w=CONTENT_W, align="C", h=12)
    y += 14
    a = data.applicant
    who = f"{a.name}　様" if a else ""
    line = f"受付番号　{data.visit_number}　　{wareki(data.issued_on)}"
    pdf.line_text(MARGIN, y, line, BODY, face=face)
    y += BODY * PT * 1.6
    if who:
        y += pdf.block(MARGIN, y, CONTENT_W, who, BODY, face=face, who="届出人") + 1
    note = "次の順番で窓口をお回りください。各窓口でこの紙と受付案内票をお見せください。"
    y += pdf.block(MARGIN, y, CONTENT_W, note, BODY, face=face) + 4
    for n, (stop, procs) in enumerate(stops(data), start=1):
        place = "　".join(x for x in (stop.floor, stop.counter) if x)
        items = [f"・{p.title or p.id}（{for_whom(data, p)}）" for p in procs]
        body_h = sum(pdf.block(0, 0, CONTENT_W - 26, t, SMALL, face=face, draw=False)
                     for t in items)  # fmt: skip
        h = 12 + body_h + 3
        if y + h > BOTTOM:
            pdf.new_page()
            y = MARGIN + 8
        pdf.frame(MARGIN, y, CONTENT_W, h, width=RULE * 1.6)
        pdf.frame(MARGIN, y, 18, h, fill=SHADE, width=THIN)
        pdf.line_text(MARGIN, y, str(n), 22, face=face, w=18, h=12, align="C")
        pdf.line_text(MARGIN + 22, y + 1, place, 16, face=face, h=10)
        pdf.line_text(MARGIN + 22 + pdf.measure(place, 16, face) + 6, y + 1, stop.name, BODY,
                      face=face, h=10)  # fmt: skip
        ty = y + 12
        for t in items:
            ty += pdf.block(MARGIN + 24, ty, CONTENT_W - 26, t, SMALL, face=face, who="手続き")
        y += h + 3
