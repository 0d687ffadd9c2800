"""Logins, logouts and failed logins are in the audit log, with the address they came from;
a failed login keeps the name that was tried, never the password."""

import json

import pytest
from django.urls import reverse

from accounts import audit
from accounts.models import AuditEntry
from demo.staff import DEMO_PASSWORD


@pytest.mark.django_db
def test_a_login_and_a_logout_are_logged_with_the_address(client, clerk):
    client.post(
        reverse("accounts:login"),
        {"username": "shimin", "password": DEMO_PASSWORD},
        REMOTE_ADDR="192.0.2.21",
    )
    login = AuditEntry.objects.get(action="auth.login")
    assert login.user == clerk and login.terminal == "192.0.2.21"
    client.post(reverse("accounts:logout"), REMOTE_ADDR="192.0.2.21")
    logout = AuditEntry.objects.get(action="auth.logout")
    assert logout.user == clerk and logout.terminal == "192.0.2.21"
    assert audit.verify() == []


@pytest.mark.django_db
def test_a_failed_login_records_the_name_tried_and_the_address_not_the_password(client, clerk):
    client.post(
        reverse("accounts:login"),
        {"username": "shimin", "password": "Secret-guess-42"},
        REMOTE_ADDR="198.51.100.7",
    )
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.user is None and failed.terminal == "198.51.100.7"
    assert failed.detail == {"username": "shimin"}
    row = json.dumps(list(AuditEntry.objects.values()), default=str, ensure_ascii=False)
    assert "Secret-guess-42" not in row
    assert not AuditEntry.objects.filter(action="auth.login").exists()


@pytest.mark.django_db
def test_a_failed_login_for_a_name_nobody_has_is_logged_too(client, db):
    client.post(
        reverse("accounts:login"), {"username": "no\tbody", "password": "x"}, REMOTE_ADDR="::1"
    )
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.detail == {"username": "nobody"} and failed.terminal == "::1"
