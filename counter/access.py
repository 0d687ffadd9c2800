"""Who may work on what at the counter: the one place the counter's views, and the apps that
show a visit (printing, backoffice, remote), ask."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts import protection
from counter.models import Visit


def staff_of(request):
    staff = getattr(request.user, "staff", None)
    if staff is None:
        raise PermissionDenied(_("職員として登録されていません。"))
    return staff


def counter_staff(request):
    """Counter screens are for counter staff: a department's staff see their tasks only."""
    staff = staff_of(request)
    if staff.role == "department":
        raise PermissionDenied(
            _("担当課の職員は窓口の画面を開けません。業務一覧から対応してください。")
        )
    return staff


def visit_for_staff(request, number) -> Visit:
    """Whether this staff member may work on this visit: their office's, or any for supervisors."""
    staff = counter_staff(request)
    visit = get_object_or_404(Visit.objects.select_related("office", "household"), number=number)
    if staff.role not in ("supervisor", "admin") and visit.office_id != staff.office_id:
        raise PermissionDenied(_("他の庁舎の来庁は表示できません。"))
    return visit


def protected_ids(people) -> list[int]:
    return [vp.resident_id for vp in people if vp.resident and vp.resident.support_measure]


def may_print(request, visit, where="packet") -> bool:
    """Papers carry the address: with a 支援措置 resident in the visit only an administrator
    prints them (every attempt is logged)."""
    people = visit.people.select_related("resident")
    return protection.address_visible(
        request.user, protected_ids(people), request=request, visit_id=visit.id, where=where
    )
