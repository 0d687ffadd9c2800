"""A clerk changes their own password; production's rules refuse weak ones in Japanese."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry
from demo.staff import DEMO_PASSWORD

PRODUCTION_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


def change(client, old, new):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


@pytest.mark.django_db
def test_a_clerk_changes_the_password_and_logs_in_with_the_new_one(clerk_client, clerk):
    page = clerk_client.get(reverse("accounts:security")).content.decode()
    assert reverse("accounts:password_change") in page
    r = change(clerk_client, DEMO_PASSWORD, "kitami-counter-2026")
    assert r.status_code == 302 and r["Location"] == reverse("accounts:security")
    assert "パスワードを変更しました" in clerk_client.get(r["Location"]).content.decode()
    assert AuditEntry.objects.filter(user=clerk, action="account.password_changed").exists()
    # Still logged in here; the old password no longer opens a new session.
    assert clerk_client.get(reverse("counter:home")).status_code == 200
    fresh = Client()
    assert not fresh.login(username="shimin", password=DEMO_PASSWORD)
    assert fresh.login(username="shimin", password="kitami-counter-2026")


@pytest.mark.django_db
def test_the_old_password_must_be_right(clerk_client):
    r = change(clerk_client, "not-it", "kitami-counter-2026")
    assert r.status_code == 200
    assert "元のパスワードが間違っています" in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "weak, says",
    [
        ("short1", "短すぎます"),
        ("123456789012", "数字だけ"),
        ("password1234", "よく使われる"),
    ],
)
def test_production_rules_refuse_a_weak_password_with_the_reason(
    clerk_client, clerk, settings, weak, says
):
    settings.AUTH_PASSWORD_VALIDATORS = PRODUCTION_VALIDATORS
    r = change(clerk_client, DEMO_PASSWORD, weak)
    body = r.content.decode()
    assert r.status_code == 200 and says in body, body[body.find("error") - 200 :][:800]
    clerk.refresh_from_db()
    assert clerk.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_the_demo_allows_its_short_password(clerk_client, clerk, settings):
    settings.AUTH_PASSWORD_VALIDATORS = []
    assert change(clerk_client, DEMO_PASSWORD, "madoguchi2").status_code == 302


@pytest.mark.django_db
def test_the_screen_needs_a_login(client):
    r = client.get(reverse("accounts:password_change"))
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]
