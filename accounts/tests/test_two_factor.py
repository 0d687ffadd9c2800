"""TOTP two-factor: required for admins and supervisors in production, optional for the others.

The codes are computed the way an authenticator app does (RFC 6238, from the key the setup
page shows), not read from the database.
"""

import re
import time
from base64 import b32decode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.staff import DEMO_PASSWORD


def code(secret: str, at: float | None = None) -> str:
    """What the phone shows for the key on the setup page (base32, shown in groups of four)."""
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"


def login(username) -> Client:
    c = Client()
    r = c.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]
    return c


def enrol(c: Client) -> str:
    page = c.get(reverse("accounts:otp_setup")).content.decode()
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page).group(1)
    r = c.post(reverse("accounts:otp_setup"), {"token": code(secret), "next": "/"})
    assert r.status_code == 302 and r["Location"] == "/"
    return secret


@pytest.fixture
def production_roles(settings):
    settings.TWO_FACTOR_ROLES = ["admin", "supervisor"]


@pytest.mark.django_db
def test_an_admin_must_enrol_before_any_other_page(admin, production_roles):
    c = login("admin")
    r = c.get(reverse("counter:home"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:otp_setup"))
    page = c.get(r["Location"]).content.decode()
    assert "2段階認証の設定" in page and "<svg" in page and 'id="otp-secret"' in page
    assert "必須" in page
    # Nothing else opens meanwhile, not even through htmx.
    for url in (reverse("backoffice:queue"), reverse("counter:designer"), "/catalog/"):
        assert c.get(url).status_code == 302
    hx = c.get(reverse("backoffice:queue_live"), HTTP_HX_REQUEST="true")
    assert hx.status_code == 401 and hx["HX-Redirect"].startswith(reverse("accounts:otp_setup"))


@pytest.mark.django_db
def test_the_qr_code_carries_the_same_key_as_the_text(admin, production_roles):
    c = login("admin")
    page = c.get(reverse("accounts:otp_setup")).content.decode()
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert f"secret={secret}" in device.config_url
    assert "issuer=Madoguchi" in device.config_url


@pytest.mark.django_db
def test_a_wrong_code_does_not_enrol(admin, production_roles):
    c = login("admin")
    c.get(reverse("accounts:otp_setup"))
    r = c.post(reverse("accounts:otp_setup"), {"token": "000000"})
    assert "確認コードが正しくありません" in r.content.decode()
    r = c.post(reverse("accounts:otp_setup"), {"token": "12ab"})
    assert "6桁の数字" in r.content.decode()
    assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    assert c.get(reverse("counter:home")).status_code == 302


@pytest.mark.django_db
def test_after_enrolling_the_admin_works_and_every_later_login_asks_the_code(
    admin, production_roles
):
    c = login("admin")
    secret = enrol(c)
    assert c.get(reverse("counter:home")).status_code == 200
    second = login("admin")
    r = second.get(reverse("counter:designer"))
    assert r["Location"].startswith(reverse("accounts:otp_verify"))
    r = second.post(r["Location"], {"token": "123456"})
    assert "確認コードが正しくありません" in r.content.decode()
    time.sleep(1.1)  # django-otp's throttle: 1 s after the first failure
    # The next 30-second step: the code used at enrolment may not be used twice.
    r = second.post(
        reverse("accounts:otp_verify") + "?next=/printing/designer/",
        {"token": code(secret, time.time() + 30), "next": "/printing/designer/"},
    )
    assert r.status_code == 302 and r["Location"] == "/printing/designer/"
    assert second.get("/printing/designer/").status_code == 200


@pytest.mark.django_db
def test_a_code_just_used_cannot_be_replayed(admin, production_roles):
    c = login("admin")
    secret = enrol(c)
    used = code(secret)
    other = login("admin")
    r = other.post(reverse("accounts:otp_verify"), {"token": used})
    assert r.status_code == 200 and "正しくありません" in r.content.decode()


@pytest.mark.django_db
def test_wrong_codes_in_a_row_make_the_verifier_wait(admin, production_roles):
    enrol(login("admin"))
    c = login("admin")
    c.post(reverse("accounts:otp_verify"), {"token": "000000"})
    r = c.post(reverse("accounts:otp_verify"), {"token": "000001"})
    assert "秒待ってから入力してください" in r.content.decode()


@pytest.mark.django_db
def test_a_stolen_password_cannot_replace_the_enrolled_device(admin, production_roles):
    enrol(login("admin"))
    thief = login("admin")
    r = thief.get(reverse("accounts:otp_setup"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:otp_verify"))
    assert TOTPDevice.objects.filter(user=admin).count() == 1


@pytest.mark.django_db
def test_a_supervisor_is_held_too_but_a_clerk_is_not(demo_staff, production_roles):
    assert login("kanri").get(reverse("counter:home")).status_code == 302
    assert login("shimin").get(reverse("counter:home")).status_code == 200


@pytest.mark.django_db
def test_in_the_demo_nobody_is_asked(admin, settings):
    settings.TWO_FACTOR_ROLES = []
    assert login("admin").get(reverse("counter:home")).status_code == 200


@pytest.mark.django_db
def test_a_clerk_may_turn_it_on_and_is_then_asked_at_login_and_may_turn_it_off(
    clerk, production_roles
):
    c = login("shimin")
    page = c.get(reverse("accounts:security")).content.decode()
    assert "設定されていません" in page
    secret = enrol(c)
    assert "設定済みです" in c.get(reverse("accounts:security")).content.decode()
    later = login("shimin")
    assert later.get(reverse("counter:home"))["Location"].startswith(reverse("accounts:otp_verify"))
    # Turning it off needs the code first.
    later.post(reverse("accounts:otp_disable"))
    assert TOTPDevice.objects.filter(user=clerk).exists()
    later.post(reverse("accounts:otp_verify"), {"token": code(secret, time.time() + 30)})
    later.post(reverse("accounts:otp_disable"))
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert login("shimin").get(reverse("counter:home")).status_code == 200


@pytest.mark.django_db
def test_an_admin_cannot_turn_it_off_where_it_is_required(admin, production_roles):
    c = login("admin")
    enrol(c)
    r = c.post(reverse("accounts:otp_disable"), follow=True)
    assert "解除できません" in r.content.decode()
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
