"""The visit page's printing panel: packet versions, fill counts, the tablet signature link."""

import time
from functools import lru_cache

import segno
from django import template
from django.utils.safestring import mark_safe

from counter.models import FormFill, Signature

register = template.Library()

# The signing link (valid SIGN_MAX_AGE, 2 h) and its QR code are made once per visit and host
# every 5 minutes, not on every view of the visit page: drawing the QR code was half the
# page's time (bench/load.py).
LINK_REUSE = 300


@lru_cache(maxsize=1024)
def _sign_link(number: str, root: str, _period: int) -> tuple[str, str]:
    from django.core import signing
    from django.urls import reverse

    from counter.tablet import SIGN_SALT

    url = root + reverse("counter:sign", args=[signing.dumps(number, salt=SIGN_SALT)])
    return url, segno.make_qr(url, error="m").svg_inline(scale=3, dark="#000", light="#fff")


@register.inclusion_tag("counter/_visit_print.html", takes_context=True)
def visit_printing(context, visit):
    request = context["request"]
    packets = list(visit.packets.order_by("id").values("id", "created_at", "pages"))
    for n, p in enumerate(packets, 1):
        p["version"] = n
        p["fill"] = FormFill.objects.filter(packet_id=p["id"]).totals()
    url, qr = _sign_link(
        visit.number, request.build_absolute_uri("/")[:-1], int(time.time() // LINK_REUSE)
    )
    return {
        "visit": visit,
        "packets": list(reversed(packets)),
        "signature": Signature.objects.filter(visit=visit).first(),
        "sign_url": url,
        "sign_qr": mark_safe(qr),  # noqa: S308 — segno's own SVG of our own URL
        "locked": context.get("locked"),
    }
