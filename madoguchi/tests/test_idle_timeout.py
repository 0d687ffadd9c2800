"""An unattended terminal's session ends on the server after the idle time; polls do not keep
it alive. (The warning in the page: test_browser_idle_warning.py.)"""

import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from madoguchi.middleware import LAST_ACTIVITY, SESSION_START

BACKGROUND = {"HTTP_X_MADOGUCHI_BACKGROUND": "1"}


def set_session(client, **values):
    s = client.session
    s.update(values)
    s.save()


@pytest.fixture
def idle(settings):
    settings.IDLE_TIMEOUT = 30 * 60
    return settings


@pytest.mark.django_db
def test_after_the_idle_time_the_next_click_lands_on_the_login_page(clerk_client, idle):
    clerk_client.get(reverse("counter:home"))
    set_session(clerk_client, **{LAST_ACTIVITY: int(time.time()) - 31 * 60})
    r = clerk_client.get(reverse("backoffice:queue"))
    assert r.status_code == 302
    assert r["Location"] == reverse("accounts:login") + "?next=%2Fbackoffice%2F"
    page = clerk_client.get(r["Location"]).content.decode()
    assert "一定時間操作がなかったため、自動でログアウトしました" in page
    assert "_auth_user_id" not in clerk_client.session
    assert clerk_client.get(reverse("counter:home")).status_code == 302


@pytest.mark.django_db
def test_within_the_idle_time_nothing_happens(clerk_client, idle):
    clerk_client.get(reverse("counter:home"))
    set_session(clerk_client, **{LAST_ACTIVITY: int(time.time()) - 29 * 60})
    assert clerk_client.get(reverse("counter:home")).status_code == 200


@pytest.mark.django_db
def test_polls_do_not_count_as_activity_but_clicks_do(clerk_client, idle):
    clerk_client.get(reverse("counter:home"))
    long_ago = int(time.time()) - 20 * 60
    set_session(clerk_client, **{LAST_ACTIVITY: long_ago})
    clerk_client.get(reverse("backoffice:queue_live"), HTTP_HX_REQUEST="true", **BACKGROUND)
    assert clerk_client.session[LAST_ACTIVITY] == long_ago
    clerk_client.get(reverse("backoffice:queue"))
    assert clerk_client.session[LAST_ACTIVITY] >= int(time.time()) - 2


@pytest.mark.django_db
def test_an_htmx_request_after_expiry_asks_for_a_full_page_login(clerk_client, idle):
    clerk_client.get(reverse("counter:home"))
    set_session(clerk_client, **{LAST_ACTIVITY: int(time.time()) - 40 * 60})
    r = clerk_client.get(reverse("backoffice:queue_live"), HTTP_HX_REQUEST="true", **BACKGROUND)
    assert r.status_code == 401
    assert r["HX-Redirect"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_requests_of_scripts_racing_the_logout_leave_its_message_for_the_page(clerk_client, idle):
    """A poll ends the session; the page's other poll and idle.js's probe come just after, no
    longer logged in. Neither may follow login_required's redirect to the login page (XHR and
    fetch would draw it unseen and use up the message): the page itself shows why."""
    clerk_client.get(reverse("counter:home"))
    set_session(clerk_client, **{LAST_ACTIVITY: int(time.time()) - 40 * 60})
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/backoffice/"}
    assert (
        clerk_client.get(reverse("backoffice:queue_live"), **poll, **BACKGROUND).status_code == 401
    )
    late = clerk_client.get(reverse("backoffice:queue_live"), **poll, **BACKGROUND)
    assert late.status_code == 401
    assert late["HX-Redirect"] == reverse("accounts:login") + "?next=%2Fbackoffice%2F"
    probe = clerk_client.get(reverse("accounts:keepalive"), **BACKGROUND)
    assert probe.status_code == 401 and not probe.content
    page = clerk_client.get(late["HX-Redirect"]).content.decode()
    assert "一定時間操作がなかったため、自動でログアウトしました" in page
    # A page asked for by the browser itself still gets the ordinary redirect.
    assert clerk_client.get(reverse("backoffice:queue")).status_code == 302


@pytest.mark.django_db
def test_the_session_row_itself_expires_with_the_idle_time(clerk_client, idle):
    clerk_client.get(reverse("counter:home"))
    row = Session.objects.get(session_key=clerk_client.session.session_key)
    left = (row.expire_date - timezone.now()).total_seconds()
    assert 30 * 60 - 5 <= left <= 30 * 60 + 35  # not Django's two weeks


@pytest.mark.django_db
def test_keepalive_reports_the_time_left_without_extending_it(clerk_client, idle):
    clerk_client.get(reverse("counter:home"))
    set_session(clerk_client, **{LAST_ACTIVITY: int(time.time()) - 28 * 60})
    left = clerk_client.get(reverse("accounts:keepalive"), **BACKGROUND).json()["remaining"]
    assert 100 <= left <= 121
    assert clerk_client.post(reverse("accounts:keepalive")).status_code == 204
    left = clerk_client.get(reverse("accounts:keepalive"), **BACKGROUND).json()["remaining"]
    assert left >= 30 * 60 - 2


@pytest.mark.django_db
def test_a_working_day_at_most_even_when_active(clerk_client, idle):
    idle.SESSION_COOKIE_AGE = 12 * 3600
    clerk_client.get(reverse("counter:home"))
    set_session(clerk_client, **{SESSION_START: int(time.time()) - 13 * 3600})
    r = clerk_client.get(reverse("counter:home"))
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


@pytest.mark.django_db
def test_the_page_tells_the_script_the_configured_times(clerk_client, settings):
    settings.IDLE_TIMEOUT = 900
    settings.IDLE_WARNING = 90
    page = clerk_client.get(reverse("counter:home")).content.decode()
    assert 'data-idle-timeout="900"' in page and 'data-idle-warning="90"' in page
    assert "madoguchi/idle.js" in page
