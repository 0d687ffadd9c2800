"""Printing screens: packet versions, the tablet signature page, and the field designer."""

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access, audit
from counter.models import Packet, Visit
from madoguchi.inputs import BadInput, expect_object, json_body, json_response
from printing import services

SIGN_SALT = "printing.sign"
SIGN_MAX_AGE = 2 * 3600  # a tablet link is good for the visit's morning, not for ever


def sign_token(visit) -> str:
    return signing.dumps(visit.number, salt=SIGN_SALT)


def sign_url(request, visit) -> str:
    return request.build_absolute_uri(reverse("printing:sign", args=[sign_token(visit)]))


def _visit_from_token(token: str) -> Visit:
    try:
        number = signing.loads(token, salt=SIGN_SALT, max_age=SIGN_MAX_AGE)
    except signing.BadSignature:
        raise Http404(_("署名用のリンクが無効か、期限が切れています。")) from None
    return get_object_or_404(Visit, number=number)


def sign(request, token):
    """The signature pad for a second monitor or tablet: no login, the signed link admits it."""
    visit = _visit_from_token(token)
    if request.method == "POST":
        try:
            body = expect_object(json_body(request), _("本文"))
            png = services.decode_png(body.get("png", ""))
            strokes = services.clean_strokes(body.get("strokes"))
        except (BadInput, services.BadSignature) as e:
            return json_response({"error": str(e)}, status=400)
        user = request.user if request.user.is_authenticated else None
        try:
            sig = services.record_signature(visit, png=png, strokes=strokes, by=user,
                                            request=request)  # fmt: skip
        except services.VisitLocked as e:
            return json_response({"error": str(e)}, status=409)
        return JsonResponse({"ok": True, "signed_at": sig.signed_at.isoformat()})
    return render(request, "printing/sign.html", {"visit": visit})


@login_required
def packet_version(request, number, version: int):
    """An earlier (or the current) packet of the visit, exactly as it was printed."""
    visit = access.get_for_staff(request, Visit, number=number)
    shown = access.protection(
        request.user, visit, request=request, visit_id=visit.id, where="packet_version"
    )
    if shown.hidden:
        raise PermissionDenied(
            _("支援措置の対象者を含むため、住所の載る書類は管理者だけが印刷できます。")
        )
    packets = list(Packet.objects.filter(visit=visit).order_by("id").only("id"))
    if not 1 <= version <= len(packets):
        raise Http404(_("その版はありません。"))
    p = Packet.objects.get(pk=packets[version - 1].pk)
    # Every serve shows the residents' data again, so every serve is logged (no caching here).
    audit.record_many(
        request.user,
        "packet.viewed",
        [rid for rid in visit.people.values_list("resident_id", flat=True) if rid],
        request=request,
        visit=visit.number,
        version=version,
    )
    response = HttpResponse(bytes(p.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="packet-{visit.number}-v{version}.pdf"'
    return response


@login_required
@require_POST
def signature_clear(request, number):
    visit = access.get_for_staff(request, Visit, number=number)
    services.clear_signatures(visit, by=request.user, request=request)
    return HttpResponse(f'<span class="saved">{_("署名を取り消しました")}</span>')
