"""Headers on every response: the Content-Security-Policy, no-store where personal data is, and
the HTTPS rules when production turns them on."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from demo.staff import DEMO_PASSWORD


@pytest.fixture
def accepted_visit(clerk, django_capture_on_commit_callbacks):
    from counter import services
    from counter.tests.factories import elderly_couple

    hh, _head, _wife = elderly_couple()
    visit = services.start_visit(
        by=clerk,
        office=clerk.staff.office,
        events=["tenshutsu"],
        event_date=date(2026, 6, 15),
        household=hh,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(visit, by=clerk)
    return visit


def csp(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d for d in (p.strip() for p in policy.split(";"))}


@pytest.mark.django_db
def test_every_kind_of_page_carries_a_policy_without_inline_script(clerk_client, client):
    from accounts.models import Office

    Office.objects.get_or_create(code="honcho", defaults={"name": "本庁"})
    for c, url in [
        (clerk_client, reverse("counter:home")),
        (client, reverse("accounts:login")),
        (client, reverse("queues:kiosk", args=["honcho"])),
        (client, "/no-such-page/"),
    ]:
        policy = csp(c.get(url))
        assert policy["script-src"] == "script-src 'self'", url
        assert policy["style-src"] == "style-src 'self'", url
        assert "unsafe" not in " ".join(policy.values()), url
        assert policy["frame-ancestors"] == "frame-ancestors 'none'"
        assert policy["object-src"] == "object-src 'none'"


@pytest.mark.django_db
def test_staff_pages_pdfs_and_csvs_are_never_stored(clerk_client, accepted_visit, settings):
    for url in [
        reverse("counter:home") + "?q=タカハシ",
        reverse("counter:visit", args=[accepted_visit.number]),
        reverse("counter:packet", args=[accepted_visit.number]),
        reverse("backoffice:export"),
    ]:
        r = clerk_client.get(url)
        assert r.status_code == 200, url
        assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"], url
    pdf = clerk_client.get(reverse("counter:packet", args=[accepted_visit.number]))
    assert pdf["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_a_public_page_with_a_residents_name_is_not_stored_either(client):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Office
    from queues.models import Slot

    office, _ = Office.objects.get_or_create(code="honcho", defaults={"name": "本庁"})
    slot = Slot.objects.create(
        office=office, purpose="moving", starts_at=timezone.now() + timedelta(days=1), capacity=2
    )
    r = client.post(
        reverse("queues:book", args=["honcho"]),
        {
            "slot": slot.pk,
            "name": "予約　花子",
            "name_kana": "ヨヤク　ハナコ",
            "phone": "0157-00-0000",
            "token": "t1",
        },
    )
    assert "予約　花子" in r.content.decode()
    assert "no-store" in r["Cache-Control"]


@pytest.mark.django_db
def test_the_chime_keeps_its_own_caching(client):
    r = client.get(reverse("queues:chime"))
    assert r["Cache-Control"] == "public, max-age=86400"


@pytest.fixture
def https(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


@pytest.mark.django_db
def test_production_sends_plain_http_to_https(https, clerk):
    c = Client()  # made after the settings: the middleware reads them when it is built
    r = c.get(reverse("accounts:login"))
    assert r.status_code == 301 and r["Location"].startswith("https://")


@pytest.mark.django_db
def test_behind_the_tls_proxy_cookies_are_secure_and_hsts_is_sent(https, clerk):
    c = Client(HTTP_X_FORWARDED_PROTO="https")
    page = c.get(reverse("accounts:login"))
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    r = c.post(reverse("accounts:login"), {"username": "shimin", "password": DEMO_PASSWORD})
    assert r.status_code == 302
    assert r.cookies["sessionid"]["secure"] and r.cookies["sessionid"]["httponly"]
    assert c.cookies["csrftoken"]["secure"]
