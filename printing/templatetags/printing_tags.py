"""The visit page's printing panel: packet versions, fill counts, the tablet signature link."""

import segno
from django import template
from django.utils.safestring import mark_safe

from printing.models import FormFill, Signature

register = template.Library()


@register.inclusion_tag("printing/_visit_print.html", takes_context=True)
def visit_printing(context, visit):
    from printing.views import sign_url

    request = context["request"]
    packets = list(visit.packets.order_by("id").values("id", "created_at", "pages"))
    for n, p in enumerate(packets, 1):
        p["version"] = n
        p["fill"] = FormFill.objects.filter(packet_id=p["id"]).totals()
    url = sign_url(request, visit)
    qr = segno.make_qr(url, error="m").svg_inline(scale=3, dark="#000", light="#fff")
    return {
        "visit": visit,
        "packets": list(reversed(packets)),
        "signature": Signature.objects.filter(visit=visit).first(),
        "sign_url": url,
        "sign_qr": mark_safe(qr),  # noqa: S308 — segno's own SVG of our own URL
        "locked": context.get("locked"),
    }
