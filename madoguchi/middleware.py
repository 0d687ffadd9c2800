"""The production mode's middleware: headers, idle sessions, two-factor, public rate limits;
and the tenant of each request.

Each class is one rule, read from settings (madoguchi/settings.py, "Production mode").
"""

import re
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseRedirect
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from accounts import sessions
from accounts.sessions import LAST_ACTIVITY, SESSION_START
from backoffice.api import hash_token
from backoffice.models import ApiToken
from lib import cardbridge
from madoguchi import errors, throttle
from tenants import scope
from tenants.models import Tenant, code_for_host

# Sent by static/madoguchi/app.js on htmx polls and screen refreshes nobody clicked: they
# must not keep an unattended terminal's session alive.
BACKGROUND_HEADER = "HTTP_X_MADOGUCHI_BACKGROUND"
# The session row is written at most this often for activity alone (not on every click).
ACTIVITY_RESOLUTION = 30


def content_security_policy() -> str:
    """settings.CONTENT_SECURITY_POLICY, its connect-src widened to exactly the origin of the
    counter PC's card-reader bridge when one is set (settings.CARD_BRIDGE_URL)."""
    policy = settings.CONTENT_SECURITY_POLICY
    bridge = cardbridge.origin_of(settings.CARD_BRIDGE_URL or "")
    if bridge:
        policy = policy.replace("connect-src 'self'", f"connect-src 'self' {bridge}", 1)
    return policy


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every page; nothing dynamic is kept by a browser or proxy.

    Every dynamic response gets `Cache-Control: no-store` unless its view chose otherwise (the
    chime): staff pages, PDFs and CSVs carry personal data, and so do the public pages that
    echo a booking's name. Static files never reach here (WhiteNoise answers them first).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", content_security_policy())
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response


def _page_path(request) -> str:
    """The page the user is on: for htmx, the screen that asked, not the fragment's URL."""
    current = request.headers.get("HX-Current-URL")
    if request.headers.get("HX-Request") and current:
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def _redirect(request, url):
    if request.headers.get("HX-Request"):
        # htmx would swap the page into a fragment: ask it for a full page instead.
        response = HttpResponseRedirect(url)
        response.status_code = 401
        response["HX-Redirect"] = url
        return response
    if request.META.get(BACKGROUND_HEADER) == "1":
        # idle.js asking with fetch(), which would follow a redirect and use up the message:
        # a bare 401, and the page's own reload then lands on the login page with it.
        return HttpResponse(status=401)
    return HttpResponseRedirect(url)


def _login_url(request) -> str:
    return reverse(settings.LOGIN_URL) + "?" + urlencode({"next": _page_path(request)})


def _login_redirect(request, reason: str):
    messages.warning(request, reason)
    return _redirect(request, _login_url(request))


class IdleTimeoutMiddleware:
    """A staff session ends after IDLE_TIMEOUT seconds without a request somebody made.

    The session's own expiry moves with each such request too, so an abandoned session dies in
    the session store as well, not only at this check. The page warns before (static/madoguchi/
    idle.js) and its 「操作を続ける」 button posts to accounts:keepalive.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            reason = sessions.ended(session, now)
            if reason is not None:
                logout(request)
                return _login_redirect(request, str(sessions.ENDED_BECAUSE[reason]))
            last = session.get(LAST_ACTIVITY)
            session.setdefault(SESSION_START, now)
            background = request.META.get(BACKGROUND_HEADER) == "1"
            resolution = min(ACTIVITY_RESOLUTION, settings.IDLE_TIMEOUT // 10)
            if last is None or (not background and now - last >= resolution):
                session[LAST_ACTIVITY] = now
                session.set_expiry(settings.IDLE_TIMEOUT + ACTIVITY_RESOLUTION)
        response = self.get_response(request)
        if response.status_code == 302 and _asked_by_script(request) and _to_login(response):
            # Already logged out (a poll or idle.js's probe just after the request that ended
            # the session): login_required's redirect, followed by XHR or fetch, would draw the
            # login page unseen and use up the message why. The page is sent there instead.
            return _redirect(request, _login_url(request))
        return response


def _asked_by_script(request) -> bool:
    return bool(request.headers.get("HX-Request")) or request.META.get(BACKGROUND_HEADER) == "1"


def _to_login(response) -> bool:
    return urlsplit(response["Location"]).path == reverse(settings.LOGIN_URL)


# Pages a user who still owes the second factor may open.
TWO_FACTOR_OPEN = {
    "accounts:login",
    "accounts:logout",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "accounts:keepalive",
}


def two_factor_due(request) -> bool:
    """True when this logged-in user must show a one-time code before anything else."""
    user = request.user
    verified = user.is_authenticated and user.is_verified()
    return sessions.two_factor_due(user, request.session, verified=verified)


class TwoFactorMiddleware:
    """Admins and supervisors in production (TWO_FACTOR_ROLES), and anyone who enrolled, are sent
    to enrol or to type a code before any other page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name in TWO_FACTOR_OPEN:
            return None
        if not two_factor_due(request):
            return None
        from django_otp import user_has_device

        name = "accounts:otp_verify" if user_has_device(request.user) else "accounts:otp_setup"
        return _redirect(request, reverse(name) + "?" + urlencode({"next": _page_path(request)}))

    def __call__(self, request):
        return self.get_response(request)


# Public pages (no login) and what each limits, per client address; logged-in staff are not
# limited (the phone booking at the counter, a clerk at the kiosk). Failed logins are counted
# apart, per user name and per address (accounts/forms.py).
PUBLIC_VIEWS = {
    "accounts:login": {},
    "queues:kiosk": {"POST": "ticket"},
    "queues:ticket_print": {},
    "queues:wait": {},
    "queues:wait_status": {},
    "queues:display": {},
    "queues:book": {"POST": "booking_try"},
    "queues:book_okuyami": {"POST": "booking_try"},
    "counter:sign": {"POST": "sign"},
    "preentry:start": {"POST": "preentry_new"},
    "preentry:resume": {},
    "preentry:move": {"POST": "preentry_save"},
    "preentry:people": {"POST": "preentry_save"},
    "preentry:questions": {"POST": "preentry_save"},
    "preentry:done": {"POST": "preentry_save"},
    "preentry:wording": {"POST": "preentry_save"},
}


class RateLimitMiddleware:
    """One client cannot take a pad of tickets, fill the booking slots or flood the public pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        limits = PUBLIC_VIEWS.get(match.view_name) if match else None
        if limits is None or request.user.is_authenticated:
            return None
        addr = throttle.client_ip(request)
        groups = ["public"]
        group = limits.get(request.method)
        if group == "ticket" and throttle.is_kiosk(request):
            group = "ticket_kiosk"
        if group:
            groups.append(group)
        for g in groups:
            verdict = throttle.window(g).hit(addr)
            if not verdict.allowed:
                return errors.too_many_requests(request, verdict)
        return None


# A public page of a tenant by path, where it has no host name of its own: /t/<code>/queue/…
TENANT_PATH = re.compile(r"^/t/(?P<code>[-a-zA-Z0-9_]+)(?P<rest>/.*)$")


class TenantMiddleware:
    """The one place a request gets its tenant (tenants.scope), which every query then keeps
    to (tenants.models.TenantManager); madoguchi.asgi does the same for the websockets.

    A logged-in staff member works for their own municipality; a core system's API token for
    its system's. A public page (kiosk, booking, pre-entry, the phone's wait page) belongs to
    the tenant its host name is given to (MADOGUCHI_TENANT_HOSTS), or the one its path names
    (/t/<code>/…: the prefix is taken off for the URL resolver and put back on every URL the
    page makes). Nothing named: the default tenant, as a single-city install always is.
    A staff member or token on another tenant's address gets a 404, never the other's data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prefix = get_script_prefix()
        try:
            tenant, path = resolve_tenant(
                request.path_info,
                request.get_host(),
                getattr(request, "user", None),
                request.headers.get("Authorization", ""),
            )
        except Tenant.DoesNotExist:
            return HttpResponseNotFound()
        if path != request.path_info:
            request.path_info = path
            set_script_prefix(f"{prefix}t/{tenant}/")
        token = scope.activate(tenant)
        try:
            return self.get_response(request)
        finally:
            scope.reset(token)
            set_script_prefix(prefix)


def resolve_tenant(path: str, host: str, user, authorization: str) -> tuple[str | None, str]:
    """(the tenant's code or None for the default, the path without a /t/<code> prefix)."""
    named = None
    if m := TENANT_PATH.match(path):
        named, path = Tenant.get(m["code"]).pk, m["rest"]
    else:
        named = code_for_host(host)
    own = _user_tenant(user) or _token_tenant(authorization)
    if own is not None and named is not None and own != named:
        raise Tenant.DoesNotExist(named)
    return own or named, path


def _user_tenant(user) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.staff.tenant_id  # the reverse accessor reads across tenants
    except ObjectDoesNotExist:
        return None


def _token_tenant(authorization: str) -> str | None:
    scheme, _sep, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return (
        ApiToken._base_manager.filter(key_hash=hash_token(token.strip()))
        .values_list("tenant_id", flat=True)
        .first()
    )
