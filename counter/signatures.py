"""The resident's tablet signature: the pad's PNG and strokes checked, kept, cleared.

The newest signature of a visit goes into the signature boxes of its next packet, of the forms
the signing page listed when the resident signed (counter.packet.packet_data)."""

import base64
import binascii
import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from counter.models import Signature
from counter.services import VisitLocked

MAX_PNG = 400_000  # a signature pad's PNG is tens of kB; refuse anything far larger


class BadSignature(ValueError):
    pass


def decode_png(data_url: str) -> bytes:
    prefix = "data:image/png;base64,"
    if not isinstance(data_url, str) or not data_url.startswith(prefix):
        raise BadSignature(_("署名の画像がありません"))
    try:
        png = base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        raise BadSignature(_("署名の画像を読めません")) from None
    if len(png) > MAX_PNG or not png.startswith(b"\x89PNG"):
        raise BadSignature(_("署名の画像を読めません"))
    return _flatten(png)


MAX_STROKES = 500


def _number(n) -> bool:
    return isinstance(n, int | float) and not isinstance(n, bool) and abs(n) < 1e15


def clean_strokes(value) -> list:
    """The pad's strokes as kept with the signature: [[[x, y, t], …], …], numbers only."""
    if value is None:
        return []
    strokes = value[:MAX_STROKES] if isinstance(value, list) else None
    if strokes is None or not all(
        isinstance(stroke, list)
        and all(isinstance(p, list) and 2 <= len(p) <= 3 and all(map(_number, p)) for p in stroke)
        for stroke in strokes
    ):
        raise BadSignature(_("署名の筆跡を読めません"))
    return strokes


def _flatten(png: bytes) -> bytes:
    """A canvas PNG is transparent; print it as black ink on white, trimmed to the strokes."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGBA")
    white = Image.new("RGBA", img.size, (255, 255, 255, 255))
    white.alpha_composite(img)
    gray = white.convert("L")
    box = gray.point(lambda v: 255 if v < 200 else 0).getbbox()
    if box is None:
        raise BadSignature(_("署名が空です"))
    out = io.BytesIO()
    gray.crop(box).save(out, format="PNG", optimize=True)
    return out.getvalue()


@transaction.atomic
def record_signature(
    visit, *, png: bytes, strokes, by=None, request=None, forms: list[str] | None = None
) -> Signature:
    """`forms`: the forms (form_key) the resident was shown and signs for; None: every box."""
    # Locked so that a signature and the acceptance cannot cross (counter.services.accept_visit).
    # The visit was accepted: its packet is final, so a new signature may not change it.
    current = type(visit).objects.select_for_update().only("status").get(pk=visit.pk)
    if current.is_locked:
        raise VisitLocked(
            _("この来庁は受付済みのため、署名を受け付けられません。窓口の職員にお声がけください。")
        )
    sig = Signature.objects.create(visit=visit, png=png, strokes=strokes or [], forms=forms,
                                   signed_at=timezone.now(), created_by=by)  # fmt: skip
    audit.record(
        by,
        "visit.signed",
        visit_id=visit.id,
        request=request,
        **({"forms": forms} if forms is not None else {}),
    )
    return sig


def latest_signature(visit) -> Signature | None:
    return Signature.objects.filter(visit=visit).first()


@transaction.atomic
def clear_signatures(visit, *, by, request=None) -> None:
    Signature.objects.filter(visit=visit).delete()
    audit.record(by, "visit.signature_cleared", visit_id=visit.id, request=request)
