"""`madoguchi staff`: how a production install gets its logins, since the demo's are refused."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.test_password_change import PRODUCTION_VALIDATORS


def add(password, *extra, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command(
        "staff", "add", "aoki", "--name", "市民課 青木", "--office", "honcho",
        "--office-name", "本庁", "--department", "shimin", "--password-stdin", *extra, stdout=out,
    )  # fmt: skip
    return out.getvalue()


@pytest.mark.django_db
def test_an_admin_account_is_created_with_its_office_and_department(settings, monkeypatch):
    settings.AUTH_PASSWORD_VALIDATORS = PRODUCTION_VALIDATORS
    out = add("kitami-counter-2026", "--role", "admin", monkeypatch=monkeypatch)
    assert "追加しました" in out
    user = User.objects.get(username="aoki")
    assert user.check_password("kitami-counter-2026") and user.is_superuser
    assert user.staff.role == "admin" and user.staff.office.name == "本庁"
    assert user.staff.department.name == "市民課"


@pytest.mark.django_db
def test_a_weak_password_is_refused_with_the_reason(settings, monkeypatch):
    settings.AUTH_PASSWORD_VALIDATORS = PRODUCTION_VALIDATORS
    with pytest.raises(CommandError, match="短すぎます"):
        add("madoguchi", monkeypatch=monkeypatch)
    assert not User.objects.filter(username="aoki").exists()


@pytest.mark.django_db
def test_an_unknown_department_names_the_known_ones(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("x\n"))
    with pytest.raises(CommandError, match="hoken_nenkin"):
        call_command(
            "staff", "add", "x", "--name", "x", "--office", "honcho", "--office-name", "本庁",
            "--department", "nothing", "--password-stdin",
        )  # fmt: skip


@pytest.mark.django_db
def test_otp_reset_removes_the_lost_device(clerk):
    TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    out = io.StringIO()
    call_command("staff", "otp-reset", "shimin", stdout=out)
    assert "1 件削除" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=clerk).exists()
