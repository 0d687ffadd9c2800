"""What a session remembers about its own use, and the rules that read it: when a staff session
has run out of time and when it still owes the second factor.

The pages (madoguchi.middleware) and the staff WebSockets (accounts.sockets) both ask these, so a
socket is let in exactly when the next page would be. accounts.views.keepalive reads the last
activity to tell the screen how long is left.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _l

from accounts import access

LAST_ACTIVITY = "madoguchi_last_activity"
SESSION_START = "madoguchi_session_start"
NO_SECOND_FACTOR = "madoguchi_no_second_factor"

IDLE = "idle"
TOO_LONG = "too_long"
# Shown on the login page the session ends on (madoguchi.middleware).
ENDED_BECAUSE = {
    IDLE: _l("一定時間操作がなかったため、自動でログアウトしました。"),
    TOO_LONG: _l("ログインから長時間たったため、もう一度ログインしてください。"),
}


def ended(session, now: int) -> str | None:
    """Why this logged-in session is over by time — IDLE after IDLE_TIMEOUT seconds without
    activity, TOO_LONG after SESSION_COOKIE_AGE seconds since login — or None. Reads only:
    a session without its times yet has not run out."""
    last = session.get(LAST_ACTIVITY)
    if last is not None and now - last > settings.IDLE_TIMEOUT:
        return IDLE
    start = session.get(SESSION_START)
    if start is not None and now - start > settings.SESSION_COOKIE_AGE:
        return TOO_LONG
    return None


def two_factor_due(user, session, *, verified: bool) -> bool:
    """True when this logged-in user must show a one-time code before anything else: their role
    requires it (accounts.access), or they turned it on. `verified`: this session has shown one."""
    from django_otp import user_has_device

    if not user.is_authenticated or verified:
        return False
    if access.second_factor_required(getattr(user, "staff", None)):
        return True
    if session.get(NO_SECOND_FACTOR):
        return False  # looked up once per login: no query on every click
    if user_has_device(user):
        return True  # turned on by choice: asked at every login as well
    session[NO_SECOND_FACTOR] = True
    return False
