"""The administrator's list of every staff account, and what it does to another's: stop it (no
login; an open session ends), restart it, reset its second factor. Each is audited once, however
often clicked, and the `madoguchi staff` command does the same through the same functions."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEntry
from accounts.tests.logins import logs_in

SCREEN = "/accounts/staff/"


def row(html: str, username: str) -> str:
    """One account's row of 「すべての職員」, its cells' text joined by |."""
    table = re.search(r'<table id="staff-accounts">.*?</table>', html, re.S).group(0)
    tr = re.search(rf'<tr data-user="{username}">(.*?)</tr>', table, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
    return "|".join(" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells)


def buttons(html: str, username: str) -> str:
    table = re.search(r'<table id="staff-accounts">.*?</table>', html, re.S).group(0)
    return re.search(rf'<tr data-user="{username}">(.*?)</tr>', table, re.S).group(1)


@pytest.mark.django_db
def test_every_account_is_listed_with_its_office_role_2fa_and_state(admin_client, demo_staff):
    TOTPDevice.objects.create(user=demo_staff["kanri"], name="phone", confirmed=True)
    page = admin_client.get(SCREEN).content.decode()
    assert row(page, "shimin") == (
        "市民課 窓口 青木|shimin|市民課|本庁|窓口職員|未設定|使用中|停止する"
    )
    assert row(page, "shisho").startswith("端野支所 窓口 大野|shisho|市民課|端野支所|窓口職員|")
    assert row(page, "kanri") == (
        "市民課 係長 加藤|kanri|市民課|本庁|監督者|設定済み|使用中|停止する 2段階認証をリセット"
    )
    assert row(page, "hoken").split("|")[4] == "担当課職員"
    # One's own account is changed from one's own page, not stopped from here.
    assert row(page, "admin") == (
        "システム管理者 （自分）|admin|市民課|本庁|管理者|未設定|使用中|パスワードと2段階認証"
    )


@pytest.mark.django_db
def test_a_stopped_account_cannot_log_in_and_its_open_session_ends(admin_client, admin, clerk):
    open_session = Client()
    open_session.force_login(clerk)
    assert open_session.get("/").status_code == 200
    r = admin_client.post(
        reverse("accounts:staff_active", args=[clerk.pk]), {"active": "0"}, follow=True
    )
    page = r.content.decode()
    assert "市民課 窓口 青木 のアカウントを停止しました。ログインできません。" in page
    assert row(page, "shimin").endswith("|停止中|再開する")
    assert not logs_in("shimin")
    assert open_session.get("/")["Location"].startswith(reverse("accounts:login"))
    [entry] = AuditEntry.objects.filter(action="account.deactivated")
    assert entry.user_id == admin.pk and entry.detail["username"] == "shimin"


@pytest.mark.django_db
def test_a_restarted_account_logs_in_again(admin_client, clerk):
    url = reverse("accounts:staff_active", args=[clerk.pk])
    admin_client.post(url, {"active": "0"})
    page = admin_client.post(url, {"active": "1"}, follow=True).content.decode()
    assert "市民課 窓口 青木 のアカウントを再開しました。" in page
    assert row(page, "shimin").endswith("|使用中|停止する")
    assert logs_in("shimin")
    assert AuditEntry.objects.filter(action="account.reactivated").count() == 1


@pytest.mark.django_db
def test_stopping_twice_stops_and_logs_once(admin_client, clerk):
    url = reverse("accounts:staff_active", args=[clerk.pk])
    admin_client.post(url, {"active": "0"})
    second = admin_client.post(url, {"active": "0"}, follow=True).content.decode()
    assert "のアカウントはすでに停止しています。" in second
    assert AuditEntry.objects.filter(action="account.deactivated").count() == 1


@pytest.mark.django_db
def test_resetting_the_second_factor_removes_the_device_once(admin_client, admin, demo_staff):
    kanri = demo_staff["kanri"]
    TOTPDevice.objects.create(user=kanri, name="phone", confirmed=True)
    url = reverse("accounts:staff_otp_reset", args=[kanri.pk])
    page = admin_client.post(url, follow=True).content.decode()
    assert "市民課 係長 加藤 の2段階認証をリセットしました。次のログインで設定し直します。" in page
    assert row(page, "kanri").split("|")[5] == "未設定"
    assert "2段階認証をリセット" not in buttons(page, "kanri")
    assert not TOTPDevice.objects.filter(user=kanri).exists()
    again = admin_client.post(url, follow=True).content.decode()
    assert "の2段階認証は設定されていません。" in again
    [entry] = AuditEntry.objects.filter(action="account.otp_reset")
    assert entry.user_id == admin.pk and entry.detail["username"] == "kanri"


@pytest.mark.django_db
def test_the_administrator_cannot_stop_or_reset_their_own_account(admin_client, admin):
    for name, data in (("staff_active", {"active": "0"}), ("staff_otp_reset", {})):
        r = admin_client.post(reverse(f"accounts:{name}", args=[admin.pk]), data)
        assert r.status_code == 403
        assert "自分のアカウントはこの画面では停止・リセットできません。" in r.content.decode()
    admin.refresh_from_db()
    assert admin.is_active
    assert not AuditEntry.objects.filter(action__startswith="account.").exists()


@pytest.mark.django_db
def test_a_form_without_its_choice_is_refused_in_japanese(admin_client, clerk):
    r = admin_client.post(reverse("accounts:staff_active", args=[clerk.pk]), {"active": "x"})
    assert r.status_code == 400 and "停止か再開かを選んでください" in r.content.decode()
    clerk.refresh_from_db()
    assert clerk.is_active


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["shimin", "kanri"])
def test_a_clerk_or_supervisor_cannot_stop_an_account(demo_staff, role):
    c = Client()
    c.force_login(demo_staff[role])
    target = demo_staff["hoken"]
    for name, data in (("staff_active", {"active": "0"}), ("staff_otp_reset", {})):
        r = c.post(reverse(f"accounts:{name}", args=[target.pk]), data)
        assert r.status_code == 403
        assert "職員アカウントの管理は管理者だけが行えます。" in r.content.decode()
    assert logs_in("hoken")


@pytest.mark.django_db
def test_the_command_stops_restarts_and_resets_through_the_same_functions(clerk):
    def run(*args):
        out = io.StringIO()
        call_command("staff", *args, stdout=out)
        return out.getvalue()

    assert "停止しました" in run("deactivate", "shimin")
    assert "すでに停止しています" in run("deactivate", "shimin")
    assert not logs_in("shimin")
    assert "再開しました" in run("reactivate", "shimin")
    assert logs_in("shimin")
    TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    assert "1 件削除" in run("otp-reset", "shimin")
    actions = list(
        AuditEntry.objects.filter(action__startswith="account.")
        .order_by("id")
        .values_list("action", "user_id")
    )
    assert actions == [
        ("account.deactivated", None),
        ("account.reactivated", None),
        ("account.otp_reset", None),
    ]
