"""The packet: 受付案内票, then the 住民異動届, then every other application, in one PDF."""

from __future__ import annotations

import io
from dataclasses import replace

from .data import Fill, PacketData
from .fonts import FontSet, get_fontset
from .large_slip import draw_large_slip, wants_large_slip
from .layouts import as_declared, draw_form, draw_forms, printable_forms
from .layouts.idou import draw_idou, needs_idou
from .layouts.municipal import underlay
from .sheet import Sheet
from .slip import draw_fill_total, draw_slip
from .templates_loader import load_templates


def render_packet(data: PacketData) -> bytes:
    """The whole packet as PDF bytes; the same data always gives the same bytes."""
    return render_packet_with_fills(data)[0]


def render_packet_with_fills(data: PacketData) -> tuple[bytes, list[Fill]]:
    """The packet, and per form how many boxes were filled and how many are left to write."""
    fonts = get_fontset()
    check_printable(data, fonts)
    pdf = Sheet(
        fonts,
        stamp=data.visit_number,
        issued_on=data.issued_on,
        title=f"受付案内票・申請書（受付番号 {data.visit_number}）",
        author=data.municipality,
    )
    pdf.signature, pdf.signed_at = data.signature, data.signed_at
    pdf.practice = data.training
    draw_slip(pdf, data)
    if wants_large_slip(data):
        draw_large_slip(pdf, data)
    if needs_idou(data):
        with as_declared(pdf, data, load_templates().get("jumin_ido")):
            draw_idou(pdf, data)
    draw_forms(pdf, data)
    draw_fill_total(pdf)
    pdf.finish()
    out = bytes(pdf.output())
    if pdf.backgrounds:
        out = underlay(out, pdf.backgrounds)
    return out, pdf.fills


def check_printable(data: PacketData, fonts: FontSet) -> None:
    """Fail before drawing, naming the person, when a character has no font."""
    for p in data.people:
        who = f"{p.name}（{p.key}）"
        fonts.check(p.name, f"{who}の氏名")
        for value in (
            p.name_kana,
            p.relation,
            p.nationality,
            p.residence_status,
            p.residence_card_no,
        ):
            fonts.check(value or "", who)
        for value in (*p.facts.values(), *p.numbers.values()):
            if isinstance(value, str):  # text answers print on forms that bind them
                fonts.check(value, who)
    for label, value in (
        ("新世帯主", data.household_head_name),
        ("旧世帯主", data.old_household_head_name),
        ("市区町村名", data.municipality),
        ("受付番号", data.visit_number),
        ("電話番号", data.phone),
    ):
        fonts.check(value or "", label)
    for label, addr in (("新住所", data.new_address), ("旧住所", data.old_address)):
        for value in (addr or {}).values():
            fonts.check(str(value or ""), label)
    for proc in data.procedures:
        who = f"手続き「{proc.title or proc.id}」"
        for value in (proc.title, proc.reason, proc.question or "", proc.department_name,
                      proc.location, *proc.bring):  # fmt: skip
            fonts.check(value or "", who)


def page_count(pdf_bytes: bytes) -> int:
    """Pages of a PDF (the packet's page count, stored with it)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return len(PdfReader(io.BytesIO(pdf_bytes)).pages)
    except PdfReadError as e:
        raise ValueError(f"not a readable PDF: {e}") from None


def render_single_form(data: PacketData, template) -> bytes:
    """One form alone, the first procedure of `data` printed through `template` (previews)."""
    fonts = get_fontset()
    pdf = Sheet(fonts, stamp=data.visit_number, issued_on=data.issued_on, title=template.id,
                author=data.municipality)  # fmt: skip
    proc = (printable_forms(data) or data.procedures)[0]
    # The footer names the form being previewed, not the sample procedure's own form.
    proc = replace(proc, form=template.id)
    fill = Fill(template.id, proc.id, proc.person or "")
    draw_form(pdf, data, proc, template, fill)
    pdf.finish()
    out = bytes(pdf.output())
    return underlay(out, pdf.backgrounds) if pdf.backgrounds else out
