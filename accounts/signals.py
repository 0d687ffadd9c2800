"""Logins, logouts and failed logins in the audit log, from Django's auth signals, so every
way in (the login form, the admin's, a test client) is recorded the same way."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts import audit


@receiver(user_logged_in, dispatch_uid="madoguchi-audit-login")
def logged_in(sender, request, user, **kwargs):
    audit.record(user, "auth.login", request=request)


@receiver(user_logged_out, dispatch_uid="madoguchi-audit-logout")
def logged_out(sender, request, user, **kwargs):
    if user is not None:  # a logout without a session logs nobody out
        audit.record(user, "auth.logout", request=request)


@receiver(user_login_failed, dispatch_uid="madoguchi-audit-login-failed")
def login_failed(sender, credentials, request=None, **kwargs):
    # The name that was tried and where from; never the password (Django masks it in
    # `credentials` anyway, and nothing but the name is taken from it).
    tried = str(credentials.get("username", ""))
    audit.record(
        None,
        "auth.login_failed",
        request=request,
        username="".join(c for c in tried if c.isprintable())[:150],
    )
