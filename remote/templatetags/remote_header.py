"""The header's リモート相談 link, with the count of requests waiting for the viewer's
department (templates/base.html, on every staff page of department staff)."""

from django import template

from accounts import access
from remote.models import Consultation

register = template.Library()


@register.inclusion_tag("remote/_header_link.html", takes_context=True)
def remote_lobby_link(context):
    request = context.get("request")
    staff = access.staff_for(request.user) if request is not None else None
    if staff is None or not access.may_use(staff, "lobby"):
        return {"show": False}
    ids = list(Consultation.objects.waiting_for(staff.department).values_list("pk", flat=True))
    return {"show": True, "count": len(ids), "latest": max(ids, default=0)}
