"""kind: slip_only — a form the packet does not print, and the reason the slip gives instead.

A 戸籍 届書 (婚姻届, 出生届, 死亡届…) is valid only on the A3 official form, with both
parties, 本籍, 筆頭者 and witnesses; a pre-filled A4 sheet that looks signable would be
refused. So the packet prints none: the guidance slip says, from the template's `note`,
that the 届書 is written at the 戸籍 counter and what to bring. The same kind drops a
notice another form already makes (the 転入届 is the 在留カード 住居地届出).

draw_forms never calls this renderer; previews (the designer, one form alone) do, and get
an unsignable guidance page: no boxes, no signature, nothing counted.
"""

from __future__ import annotations

from ..data import Fill, PacketData, Procedure
from ..sheet import CONTENT_W, MARGIN, Sheet
from ..templates_loader import FormTemplate
from . import register
from .generic import footer_line, form_title


@register("slip_only")
def draw(pdf: Sheet, data: PacketData, proc: Procedure, t: FormTemplate, fill: Fill) -> None:
    pdf.new_page()
    y = MARGIN + 4
    title = f"{form_title(proc, t)}についてのご案内"
    pdf.block(MARGIN, y, CONTENT_W, title, 16, face=pdf.gothic, align="C", leading=1.25)
    y += pdf.block(MARGIN, y, CONTENT_W, title, 16, face=pdf.gothic, draw=False) + 6
    pdf.line_text(MARGIN, y, "この用紙は届書ではありません（署名しないでください）。", 11,
                  face=pdf.gothic)  # fmt: skip
    y += 10
    y += pdf.block(MARGIN, y, CONTENT_W, slip_note(t), 11, leading=1.4) + 6
    if proc.bring:
        pdf.line_text(MARGIN, y, "お持ちいただくもの", 11, face=pdf.gothic)
        y += 7
        for b in proc.bring:
            y += pdf.block(MARGIN + 4, y, CONTENT_W - 4, f"・{b}", 11) + 1.5
    footer_line(pdf, proc)


def slip_note(t: FormTemplate | None) -> str:
    """What the slip prints for a form the packet leaves out."""
    return (t.note or "この届書は窓口でお渡しし、その場でご記入いただきます。") if t else ""
