"""The visit page's printing panel: packet versions, fill counts, the tablet signature link."""

from django import template

from counter.models import FormFill, Signature
from counter.tablet import sign_link

register = template.Library()


@register.inclusion_tag("counter/_visit_print.html", takes_context=True)
def visit_printing(context, visit):
    request = context["request"]
    packets = list(visit.packets.order_by("id").values("id", "created_at", "pages"))
    for n, p in enumerate(packets, 1):
        p["version"] = n
        p["fill"] = FormFill.objects.filter(packet_id=p["id"]).totals()
    return {
        "visit": visit,
        "packets": list(reversed(packets)),
        "signature": Signature.objects.filter(visit=visit).first(),
        "sign_url": sign_link(request, visit.number),
        "locked": context.get("locked"),
    }
