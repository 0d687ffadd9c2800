"""The staff's own account: login, password change, two-factor (TOTP) enrolment and check."""

import math
import time
from base64 import b32encode
from datetime import UTC, datetime

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import access, audit, services
from accounts.forms import LoginForm, TokenForm
from accounts.models import Staff
from accounts.sessions import LAST_ACTIVITY
from madoguchi.throttle import Verdict


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"


def _next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if ok else reverse(settings.LOGIN_REDIRECT_URL)


def _required(user) -> bool:
    return access.second_factor_required(getattr(user, "staff", None))


@login_required
def security(request):
    """パスワードと2段階認証: what this account has, and the buttons to change it."""
    return render(
        request,
        "accounts/security.html",
        {
            "has_device": any(devices_for_user(request.user)),
            "required": _required(request.user),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(self.request.user, "account.password_changed", request=self.request)
        messages.success(self.request, _("パスワードを変更しました。"))
        return response


def _qr_svg(url: str) -> str:
    # segno draws an SVG with no inline style: it passes the Content-Security-Policy as is.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=5, border=2))


@login_required
def otp_setup(request):
    """Enrol an authenticator app: scan the code, type the six digits it shows.

    With a confirmed device already, only a session verified by it may enrol another: a stolen
    password alone must not be enough to replace the second factor.
    """
    user = request.user
    has_confirmed = any(devices_for_user(user))
    if has_confirmed and not user.is_verified():
        return redirect(reverse("accounts:otp_verify") + "?" + urlencode({"next": _next(request)}))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("認証アプリ"), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit.record(user, "account.otp_enrolled", request=request)
            messages.success(
                request,
                _("2段階認証を設定しました。次回からログインのたびに確認コードを入力します。"),
            )
            return redirect(_next(request))
        form.add_error(
            "token",
            _(
                "確認コードが正しくありません。認証アプリに表示されている最新の6桁を入力してください。"
            ),
        )
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next(request),
            "required": _required(user),
        },
    )


@login_required
def otp_verify(request):
    """The second step of the login: the code from the enrolled authenticator app."""
    user = request.user
    devices = list(devices_for_user(user))
    if not devices:
        return redirect(reverse("accounts:otp_setup") + "?" + urlencode({"next": _next(request)}))
    if user.is_verified():
        return redirect(_next(request))
    device = devices[0]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, why = device.verify_is_allowed()
        if not allowed:
            wait = max(1, int((why["locked_until"] - timezone.now()).total_seconds()) + 1)
            form.add_error(
                "token",
                _("確認コードの誤りが続いたため、%(s)s秒待ってから入力してください。")
                % {"s": wait},
            )
        elif device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_next(request))
        else:
            form.add_error("token", _("確認コードが正しくありません。"))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})


@login_required
@require_POST
def otp_disable(request):
    """Turn the second factor off: only where it is optional, and from a verified session."""
    if _required(request.user):
        messages.error(request, _("この役割では2段階認証を解除できません。"))
    elif not request.user.is_verified():
        messages.error(request, _("解除するには、先に確認コードを入力してください。"))
    else:
        TOTPDevice.objects.filter(user=request.user).delete()
        request.session.pop("otp_device_id", None)
        audit.record(request.user, "account.otp_removed", request=request)
        messages.success(request, _("2段階認証を解除しました。"))
    return redirect("accounts:security")


@login_required
def keepalive(request):
    """GET: seconds left before the idle logout (static/madoguchi/idle.js asks in the background).
    POST 「操作を続ける」: the request itself counts as activity (madoguchi.middleware)."""
    if request.method == "POST":
        return HttpResponse(status=204)
    idle = int(time.time()) - request.session.get(LAST_ACTIVITY, int(time.time()))
    # Zero exactly when the middleware ends the session at the next request (idle > timeout).
    return JsonResponse({"remaining": max(0, settings.IDLE_TIMEOUT + 1 - idle)})


# --- other staff's accounts (the administrator) -------------------------------------------------


def _staff_list():
    # This municipality's staff only (Staff's manager is the tenant's): the 本庁 (main) first.
    return Staff.objects.select_related("user", "office", "department").order_by(
        "-office__kind", "office__code", "department__code", "user__username"
    )


@login_required
def staff_accounts(request):
    """職員アカウント: the accounts locked by failed logins, each with 「ロックを解除」, and every
    account with its 2FA and whether it may log in, to stop, restart or reset its 2FA."""
    me = access.require(request, "staff_accounts")
    staff = list(_staff_list())
    locks = services.login_locks(s.user for s in staff)
    enrolled = set(
        TOTPDevice.objects.filter(
            user_id__in=[s.user_id for s in staff], confirmed=True
        ).values_list("user_id", flat=True)
    )
    rows = []
    for s in staff:
        until = (locks or {}).get(s.user_id)
        rows.append(
            {
                "staff": s,
                "otp": s.user_id in enrolled,
                "self": s.user_id == me.user_id,
                "locked_until": until and timezone.localtime(datetime.fromtimestamp(until, UTC)),
                "locked_minutes": until and Verdict(False, math.ceil(until - time.time())).minutes,
            }
        )
    return render(
        request,
        "accounts/staff_accounts.html",
        {
            "rows": rows,
            "locked": [r for r in rows if r["locked_until"]],
            "cache_down": locks is None,
            "lock_minutes": settings.LOGIN_LOCK_SECONDS // 60,
            "failures": settings.LOGIN_FAILURES_PER_USER,
        },
    )


def _target(request, user_id, *, change=False) -> Staff:
    """The account an administrator acts on: 404 unless it is this municipality's staff; with
    `change`, 403 when this one may not be changed by them (access.account_refusal)."""
    me = access.require(request, "staff_accounts")
    # The user first: its primary key's lookup answers an id past any integer with none.
    user = get_object_or_404(User, pk=user_id)
    target = get_object_or_404(_staff_list(), user=user)
    if change and (reason := access.account_refusal(me, target)):
        raise PermissionDenied(reason)
    return target


@login_required
@require_POST
def staff_unlock(request, user_id):
    """「ロックを解除」: the account may log in again at once with its password."""
    target = _target(request, user_id)
    name = target.display_name
    if services.unlock_login(target.user, by=request.user, request=request):
        messages.success(request, _("%(name)s のログインのロックを解除しました。") % {"name": name})
    else:
        messages.info(
            request,
            _("%(name)s のログインはロックされていません（解除済みです）。") % {"name": name},
        )
    return redirect("accounts:staff_accounts")


@login_required
@require_POST
def staff_active(request, user_id):
    """「停止する」 (active=0) or 「再開する」 (active=1): whether the account may log in."""
    target = _target(request, user_id, change=True)
    active = request.POST.get("active")
    if active not in ("0", "1"):
        raise BadRequest(_("停止か再開かを選んでください。画面を読み込み直してください。"))
    name = target.display_name
    if services.set_active(target.user, active == "1", by=request.user, request=request):
        done = (
            _("%(name)s のアカウントを再開しました。ログインできます。")
            if active == "1"
            else _("%(name)s のアカウントを停止しました。ログインできません。")
        )
        messages.success(request, done % {"name": name})
    else:
        messages.info(
            request,
            (
                _("%(name)s のアカウントはすでに使用できます。")
                if active == "1"
                else _("%(name)s のアカウントはすでに停止しています。")
            )
            % {"name": name},
        )
    return redirect("accounts:staff_accounts")


@login_required
@require_POST
def staff_otp_reset(request, user_id):
    """「2段階認証をリセット」 (a lost phone): the next login enrols a new authenticator."""
    target = _target(request, user_id, change=True)
    name = target.display_name
    if services.reset_second_factor(target.user, by=request.user, request=request):
        messages.success(
            request,
            _("%(name)s の2段階認証をリセットしました。次のログインで設定し直します。")
            % {"name": name},
        )
    else:
        messages.info(request, _("%(name)s の2段階認証は設定されていません。") % {"name": name})
    return redirect("accounts:staff_accounts")
