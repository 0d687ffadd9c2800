"""The administrator lifts a login lock from the 職員アカウント screen: the locked account is
listed with the time its lock ends, 「ロックを解除」 lets its owner log in again at once, a second
click changes nothing, and nobody else may see or use the screen."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.tests.logins import attempt, logs_in

SCREEN = "/accounts/staff/"


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURES_PER_USER = 5
    settings.LOGIN_FAILURES_PER_ADDRESS = 100
    settings.LOGIN_LOCK_SECONDS = 15 * 60
    return settings


def lock(username):
    for _ in range(5):
        attempt(username, "wrong")
    assert not logs_in(username)


def locked_table(html: str) -> str:
    """The 「ロック中のアカウント」 section as the administrator reads it."""
    return re.search(r'<section[^>]*id="locked".*?</section>', html, re.S).group(0)


@pytest.mark.django_db
def test_the_locked_account_is_listed_with_the_time_its_lock_ends(admin_client, clerk, limits):
    lock("shimin")
    section = locked_table(admin_client.get(SCREEN).content.decode())
    assert "市民課 窓口 青木" in section and "市民課・本庁" in section
    assert "<code>shimin</code>" in section
    assert re.search(r"\d\d:\d\d まで（あと約15分）", section)
    assert "ロックを解除" in section
    assert "<code>hoken</code>" not in section  # not locked: not listed


@pytest.mark.django_db
def test_a_name_locked_in_another_case_is_listed_under_its_account(admin_client, clerk, limits):
    for name in ["SHIMIN", " Shimin", "shimin ", "ShImIn", "shimin"]:
        attempt(name, "wrong")
    assert "<code>shimin</code>" in locked_table(admin_client.get(SCREEN).content.decode())


@pytest.mark.django_db
def test_nothing_locked_says_so(admin_client, limits):
    section = locked_table(admin_client.get(SCREEN).content.decode())
    assert "ロックされているアカウントはありません。" in section
    assert "ロックを解除" not in section


@pytest.mark.django_db
def test_after_unlocking_the_clerk_logs_in_with_the_right_password(admin_client, clerk, limits):
    lock("shimin")
    r = admin_client.post(reverse("accounts:staff_unlock", args=[clerk.pk]), follow=True)
    page = r.content.decode()
    assert f"{clerk.staff.display_name} のログインのロックを解除しました。" in page
    assert "ロックされているアカウントはありません。" in locked_table(page)
    assert logs_in("shimin")


@pytest.mark.django_db
def test_unlocking_also_forgets_the_failures_counted_so_far(admin_client, clerk, limits):
    """A lifted lock starts from none: one more typo does not lock the name again."""
    lock("shimin")
    admin_client.post(reverse("accounts:staff_unlock", args=[clerk.pk]))
    attempt("shimin", "wrong")
    assert logs_in("shimin")


@pytest.mark.django_db
def test_a_double_click_unlocks_once_and_logs_once(admin_client, admin, clerk, limits):
    lock("shimin")
    url = reverse("accounts:staff_unlock", args=[clerk.pk])
    admin_client.post(url)
    second = admin_client.post(url, follow=True).content.decode()
    assert "ロックされていません（解除済みです）" in second
    entries = AuditEntry.objects.filter(action="auth.unlocked")
    assert [(e.user_id, e.detail["username"]) for e in entries] == [(admin.pk, "shimin")]


@pytest.mark.django_db
def test_the_unlock_is_in_the_audit_log_under_the_login_group(admin_client, clerk, limits):
    lock("shimin")
    admin_client.post(reverse("accounts:staff_unlock", args=[clerk.pk]))
    page = admin_client.get(reverse("counter:audit_log"), {"action": "auth"}).content.decode()
    assert "ログインのロック解除" in page and "username=shimin" in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["shimin", "kanri", "hoken"])
def test_a_clerk_or_supervisor_gets_the_403_page_and_the_lock_stays(demo_staff, role, limits):
    lock("shisho")
    c = Client()
    c.force_login(demo_staff[role])
    page = c.get(SCREEN)
    assert page.status_code == 403
    body = page.content.decode()
    assert "職員アカウントの管理は管理者だけが行えます。" in body and "shisho" not in body
    r = c.post(reverse("accounts:staff_unlock", args=[demo_staff["shisho"].pk]))
    assert r.status_code == 403
    assert not logs_in("shisho")
    assert not AuditEntry.objects.filter(action="auth.unlocked").exists()
    assert "職員アカウント" not in c.get("/").content.decode()  # no link in the header


@pytest.mark.django_db
def test_the_administrator_finds_the_screen_in_the_header(admin_client):
    home = admin_client.get("/").content.decode()
    assert f'href="{SCREEN}"' in home and "職員アカウント" in home


@pytest.mark.django_db
def test_the_command_unlocks_through_the_same_function(clerk, limits):
    lock("shimin")
    out = io.StringIO()
    call_command("staff", "unlock", "shimin", stdout=out)
    assert "ロックを解除しました" in out.getvalue()
    assert logs_in("shimin")
    entry = AuditEntry.objects.get(action="auth.unlocked")
    assert entry.user_id is None and entry.detail["username"] == "shimin"


@pytest.mark.django_db
def test_a_cache_that_cannot_be_read_is_said_not_hidden(admin_client, monkeypatch):
    from django.core.cache import cache

    def down(*a, **k):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "get_many", down)
    page = admin_client.get(SCREEN).content.decode()
    assert "ロックの状態を読めません" in page
