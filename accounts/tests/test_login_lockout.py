"""Failed logins lock a user name and an address for a while, and the page says how long."""

import time

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from demo.staff import DEMO_PASSWORD
from madoguchi.throttle import client_ip

LOGIN = "/accounts/login/"


def attempt(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURES_PER_USER = 5
    settings.LOGIN_FAILURES_PER_ADDRESS = 20
    settings.LOGIN_LOCK_SECONDS = 15 * 60
    return settings


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_name_even_against_the_right_one(client, clerk, limits):
    for _ in range(4):
        r = attempt(client, "shimin", "wrong")
        assert "ユーザー名またはパスワードが正しくありません" in r.content.decode()
    r = attempt(client, "shimin", "wrong")
    body = r.content.decode()
    assert "ロックされています" in body and "約15分後" in body
    r = attempt(client, "shimin", DEMO_PASSWORD)
    assert "このユーザー名はログインに続けて失敗したため" in r.content.decode()
    assert not logged_in(client)


@pytest.mark.django_db
def test_a_locked_name_does_not_lock_a_colleague_on_the_same_terminal(client, clerk, limits):
    for _ in range(5):
        attempt(client, "shimin", "wrong")
    attempt(client, "hoken", DEMO_PASSWORD)
    assert logged_in(client)


@pytest.mark.django_db
def test_the_name_is_locked_whatever_its_case_or_spaces(client, clerk, limits):
    for name in ["shimin", "SHIMIN", " Shimin", "shimin ", "ShImIn"]:
        attempt(client, name, "wrong")
    r = attempt(client, "shimin", DEMO_PASSWORD)
    assert "ロックされています" in r.content.decode() and not logged_in(client)


@pytest.mark.django_db
def test_guessing_across_many_names_locks_the_address(client, demo_staff, limits):
    limits.LOGIN_FAILURES_PER_ADDRESS = 6
    for i in range(6):
        attempt(client, f"guess{i}", "wrong", REMOTE_ADDR="198.51.100.7")
    r = attempt(client, "hoken", DEMO_PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert "この端末からのログインに続けて失敗したため" in r.content.decode()
    assert not logged_in(client)
    other = Client()
    attempt(other, "hoken", DEMO_PASSWORD, REMOTE_ADDR="198.51.100.8")
    assert logged_in(other)


@pytest.mark.django_db
def test_a_good_login_clears_the_names_count(client, clerk, limits):
    for _ in range(4):
        attempt(client, "shimin", "wrong")
    attempt(client, "shimin", DEMO_PASSWORD)
    assert logged_in(client)
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        attempt(client, "shimin", "wrong")
    attempt(client, "shimin", DEMO_PASSWORD)
    assert logged_in(client)


@pytest.mark.django_db
def test_the_lock_ends_by_itself(client, clerk, limits):
    limits.LOGIN_LOCK_SECONDS = 1
    for _ in range(5):
        attempt(client, "shimin", "wrong")
    assert "ロックされています" in attempt(client, "shimin", DEMO_PASSWORD).content.decode()
    time.sleep(1.2)
    attempt(client, "shimin", DEMO_PASSWORD)
    assert logged_in(client)


@pytest.mark.django_db
def test_a_locked_attempt_is_reported_as_a_failed_login(client, clerk, limits):
    from django.contrib.auth.signals import user_login_failed

    seen = []

    def listener(sender, credentials, request=None, **kwargs):
        seen.append(credentials.get("username"))

    user_login_failed.connect(listener)
    try:
        for _ in range(6):
            attempt(client, "shimin", "wrong")
    finally:
        user_login_failed.disconnect(listener)
    assert len(seen) == 6  # five checked and refused, one refused by the lock


def test_the_address_is_the_proxys_client_only_when_the_proxy_is_trusted(settings):
    rf = RequestFactory()
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    via_proxy = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.5")
    assert client_ip(via_proxy) == "203.0.113.9"
    # A client that writes the header itself is not a proxy: its own address counts.
    direct = rf.get("/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(direct) == "198.51.100.4"
    # Only the right-most untrusted hop counts: a forged left-most entry is ignored.
    forged = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(forged) == "203.0.113.9"
    settings.TRUSTED_PROXIES = []
    assert client_ip(via_proxy) == "10.1.2.3"


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_address_is_locked_apart(client, clerk, limits):
    limits.TRUSTED_PROXIES = ["127.0.0.1"]
    limits.LOGIN_FAILURES_PER_ADDRESS = 3
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for i in range(3):
        attempt(client, f"guess{i}", "x", HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy)
    r = attempt(client, "shimin", DEMO_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy)
    assert "この端末から" in r.content.decode()
    other = Client()
    attempt(other, "shimin", DEMO_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.2", **proxy)
    assert logged_in(other)
