"""The tablet signature page: a signed link opens the pad without a login, and the clerk
can clear what was signed."""

import io
import time
from functools import lru_cache

import segno
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from counter import signatures
from counter.models import Visit
from counter.packet import forms_to_sign
from counter.services import VisitLocked
from madoguchi.inputs import BadInput, expect_object, json_body, json_response
from tenants import scope

SIGN_SALT = "printing.sign"  # kept from when printing held this page: issued links stay valid
SIGN_MAX_AGE = 2 * 3600  # a tablet link is good for the visit's morning, not for ever


def _salt() -> str:
    # Visit numbers repeat across tenants (each city counts from 001): a link signed for one
    # city's visit must not open another's with the same number at that city's address.
    return SIGN_SALT if scope.current_id() == scope.DEFAULT else f"{SIGN_SALT}:{scope.current_id()}"


def sign_token(visit) -> str:
    return signing.dumps(visit.number, salt=_salt())


def sign_url(request, visit) -> str:
    return request.build_absolute_uri(reverse("counter:sign", args=[sign_token(visit)]))


# The signing link (valid SIGN_MAX_AGE, 2 h) is made once per visit and host every 5 minutes,
# so the visit page and its QR code image carry the same link.
LINK_REUSE = 300


@lru_cache(maxsize=1024)
def _sign_link(number: str, root: str, salt: str, _period: int) -> str:
    return root + reverse("counter:sign", args=[signing.dumps(number, salt=salt)])


def sign_link(request, number: str) -> str:
    root = request.build_absolute_uri("/")[:-1]
    return _sign_link(number, root, _salt(), int(time.time() // LINK_REUSE))


@lru_cache(maxsize=256)
def _qr_svg(url: str) -> bytes:
    out = io.BytesIO()
    segno.make_qr(url, error="m").save(out, kind="svg", scale=3, dark="#000", light="#fff")
    return out.getvalue()


@login_required
def sign_qr(request, number):
    """The signing link's QR code, an image the visit page loads only when the clerk scrolls
    to it: drawing it took a tenth of the server's time under load (bench/load.py), though
    most views of a visit never show it."""
    visit = access.get_for_staff(request, Visit, number=number)
    svg = _qr_svg(sign_link(request, visit.number))
    return HttpResponse(svg, content_type="image/svg+xml")


def _visit_from_token(token: str) -> Visit:
    try:
        number = signing.loads(token, salt=_salt(), max_age=SIGN_MAX_AGE)
    except signing.BadSignature:
        raise Http404(_("署名用のリンクが無効か、期限が切れています。")) from None
    return get_object_or_404(Visit, number=number)


def sign(request, token):
    """The signature pad for a second monitor or tablet: no login, the signed link admits it.

    The page lists every form of the packet; the resident signs once for that list, and the
    signature goes into those forms only (docs/printing.md, 「署名」)."""
    visit = _visit_from_token(token)
    forms = forms_to_sign(visit)
    keys = [f["key"] for f in forms]
    if request.method == "POST":
        try:
            body = expect_object(json_body(request), _("本文"))
            png = signatures.decode_png(body.get("png", ""))
            strokes = signatures.clean_strokes(body.get("strokes"))
            shown = body.get("forms", keys)
        except (BadInput, signatures.BadSignature) as e:
            return json_response({"error": str(e)}, status=400)
        if shown != keys:
            # The answers changed while the page was open: the list the resident read is not
            # the packet any more, so their signature is not taken for it.
            return json_response(
                {
                    "error": _(
                        "書類の内容が変わりました。画面を読み込み直して、もう一度ご確認ください。"
                    )
                },
                status=409,
            )
        user = request.user if request.user.is_authenticated else None
        try:
            sig = signatures.record_signature(visit, png=png, strokes=strokes, by=user,
                                            request=request, forms=keys)  # fmt: skip
        except VisitLocked as e:
            return json_response({"error": str(e)}, status=409)
        return JsonResponse({"ok": True, "signed_at": sig.signed_at.isoformat()})
    return render(request, "counter/sign.html", {"visit": visit, "forms": forms})


@login_required
@require_POST
def signature_clear(request, number):
    visit = access.get_for_staff(request, Visit, number=number)
    signatures.clear_signatures(visit, by=request.user, request=request)
    return HttpResponse(f'<span class="saved">{_("署名を取り消しました")}</span>')
