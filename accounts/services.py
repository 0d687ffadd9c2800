"""Changes to a staff member's account made by someone else: the administrator's screen
(accounts.views.staff_accounts) and `madoguchi staff` call the same function, which does the
change and its audit entry together.

Each is idempotent: a second click, or the command run twice, changes nothing and logs
nothing, and says so by what it returns. `by` is the administrator (None for the command,
run by whoever holds the server).
"""

from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import audit
from madoguchi import throttle


def unlock_login(user, *, by, request=None) -> bool:
    """Lift the lock that failed logins put on this account's name (madoguchi/throttle.py),
    with the failures counted so far. False when it was not locked (ended, or lifted by the
    first of two clicks)."""
    lifted = throttle.login_user_lock().unlock(throttle.login_name(user.username))
    if lifted:
        audit.record(by, "auth.unlocked", request=request, username=user.username)
    return lifted


def login_locks(users) -> dict[int, float] | None:
    """When each locked account's lock ends (a Unix time), by user id; None when the cache
    cannot be read."""
    names = {throttle.login_name(u.username): u.pk for u in users}
    until = throttle.login_user_lock().locked_until(names)
    if until is None:
        return None
    return {names[name]: at for name, at in until.items()}


def reset_second_factor(user, *, by, request=None) -> int:
    """Remove the account's authenticator devices (a lost phone): its next login enrols a new
    one where the role requires it. How many were removed; 0 logs nothing."""
    with transaction.atomic():
        n, _kinds = TOTPDevice.objects.filter(user=user).delete()
        if n:
            audit.record(by, "account.otp_reset", request=request, username=user.username)
    return n


def set_active(user, active: bool, *, by, request=None) -> bool:
    """Stop an account (no login; its open sessions end at their next request, since Django
    does not load an inactive user) or let it log in again. One conditional UPDATE: of two
    at once, one changes it and logs. False when it already was so."""
    with transaction.atomic():
        changed = User.objects.filter(pk=user.pk, is_active=not active).update(is_active=active)
        if changed:
            action = "account.reactivated" if active else "account.deactivated"
            audit.record(by, action, request=request, username=user.username)
    user.is_active = active
    return bool(changed)
