"""Japanese 403/404/500/503 pages in the site's layout, with the project's own message."""

import socket
import urllib.error
import urllib.request

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from madoguchi import errors


def text(r) -> str:
    return r.content.decode()


@pytest.mark.django_db
def test_a_403_shows_the_message_the_code_raised_in_the_sites_layout(demo_staff):
    c = Client()
    c.force_login(demo_staff["hoken"])  # a department's clerk on the counter's reservations
    r = c.get(reverse("queues:reservations"))
    assert r.status_code == 403
    body = text(r)
    assert "この画面は窓口の職員だけが使えます。" in body
    assert 'lang="ja"' in body and 'class="top"' in body and "業務一覧" in body  # base.html
    assert "403" in body and "Forbidden" not in body


@pytest.mark.django_db
def test_another_departments_task_says_so(demo_staff, clerk, django_capture_on_commit_callbacks):
    from datetime import date

    from accounts.models import Department
    from backoffice.models import Task
    from counter import services
    from counter.tests.factories import elderly_couple

    hh, _h, _w = elderly_couple()
    visit = services.start_visit(
        by=clerk, office=clerk.staff.office, events=["tenshutsu"],
        event_date=date(2026, 6, 15), household=hh,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_visit(visit, by=clerk)
    task = Task.objects.filter(
        visit=visit, department=Department.objects.get(code="hoken_nenkin")
    ).first()
    c = Client()
    c.force_login(demo_staff["kaigo"])
    r = c.get(reverse("backoffice:task", args=[task.pk]))
    assert r.status_code == 403 and "他の課の業務は表示できません。" in text(r)


@pytest.mark.django_db
def test_a_404_is_japanese_and_hides_djangos_english(clerk_client):
    r = clerk_client.get("/no/such/page/")
    assert r.status_code == 404
    assert "ページが見つかりません" in text(r) and "Not Found" not in text(r)
    r = clerk_client.get(reverse("counter:visit", args=["V-NOPE"]))
    assert r.status_code == 404
    assert "matches the given query" not in text(r)
    assert "お探しのページは見つかりませんでした" in text(r)


@pytest.mark.django_db
def test_a_404_raised_with_our_message_shows_it(client):
    r = client.get(reverse("counter:sign", args=["not-a-token"]))
    assert r.status_code == 404
    assert "署名用のリンクが無効か、期限が切れています。" in text(r)


@pytest.mark.django_db
def test_an_expired_form_says_what_happened_in_japanese(clerk):
    c = Client(enforce_csrf_checks=True)
    c.force_login(clerk)
    r = c.post(reverse("counter:visit_new"), {})
    assert r.status_code == 403
    assert "画面の有効期限が切れました" in text(r) and "保存されていません" in text(r)


@pytest.mark.django_db
@pytest.mark.urls("madoguchi.tests.error_urls")
def test_a_500_is_japanese_and_in_the_layout(clerk):
    c = Client(raise_request_exception=False)
    c.force_login(clerk)
    r = c.get("/test/boom/")
    assert r.status_code == 500
    assert "システムエラーが発生しました" in text(r) and 'class="top"' in text(r)
    assert "a bug" not in text(r)  # no internals to the user


def test_the_500_page_renders_without_the_database():
    # No django_db mark: any query raises here, and the page would fall back to bare HTML.
    request = RequestFactory().get("/")
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        r = errors.server_error(request)
    assert r.status_code == 500 and "システムエラー" in text(r)
    assert 'class="top"' in text(r) and "madoguchi/app.css" in text(r)  # the full layout


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there afterwards: a Redis that is down
    return port


@pytest.mark.django_db
@pytest.mark.urls("madoguchi.tests.error_urls")
def test_redis_down_gives_a_503_naming_redis(clerk, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_free_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    c = Client(raise_request_exception=False)
    c.force_login(clerk)
    r = c.get("/test/cache/")
    assert r.status_code == 503 and r["X-Madoguchi-Error"] == "redis"
    assert "Redis（通知・キャッシュ）に接続できません" in text(r)


@pytest.mark.django_db
def test_redis_down_shows_a_banner_on_staff_pages_and_saving_still_works(clerk, settings):
    from madoguchi import context

    settings.REDIS_URL = f"redis://127.0.0.1:{_free_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    context._redis["at"] = float("-inf")  # ask now, not within the last 10 s
    c = Client()
    c.force_login(clerk)
    r = c.get(reverse("counter:home"))
    assert r.status_code == 200
    assert 'id="service-banner"' in text(r) and "入力の保存はできます" in text(r)
    # The kiosk keeps issuing: the rate limit fails open while its counters are unreachable.
    from accounts.models import Office

    Office.objects.get(code="honcho")
    anon = Client()
    r = anon.post(reverse("queues:kiosk", args=["honcho"]), {"purpose": "moving", "token": "k1"})
    assert r.status_code == 302
    context._redis["at"] = float("-inf")


@pytest.mark.django_db
def test_redis_up_shows_no_banner(clerk, settings):
    from madoguchi import context

    settings.REDIS_URL = ""
    context._redis["at"] = float("-inf")
    c = Client()
    c.force_login(clerk)
    assert 'id="service-banner"' not in text(c.get(reverse("counter:home")))


class DownDatabase:
    """A DATABASE_URL where nothing listens: PostgreSQL is down."""

    def __init__(self):
        self.url = f"postgres://postgres@127.0.0.1:{_free_port()}/madoguchi"

    def env(self, **extra):
        import os

        from queues.tests.servers import ROOT

        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
        env.update(DATABASE_URL=self.url, DJANGO_SETTINGS_MODULE="madoguchi.settings",
                   PYTHONPATH=str(ROOT))  # fmt: skip
        env.update({k: v for k, v in extra.items() if v is not None})
        return env


def test_a_real_server_with_its_database_down_answers_503_in_japanese():
    from queues.tests.servers import Server

    server = Server(DownDatabase())
    try:
        # The login page itself needs no database: the clerk sees it, then the outage.
        login = urllib.request.urlopen(server.url + "/accounts/login/", timeout=10)
        assert login.status == 200
        request = urllib.request.Request(
            server.url + "/", headers={"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz123456"}
        )
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(request, timeout=30)  # the pool waits 5 s for the database
        r = failed.value
        body = r.read().decode()
        assert r.code == 503 and r.headers["X-Madoguchi-Error"] == "database"
        assert "データベースに接続できません" in body and "保存されていない可能性" in body
        assert 'lang="ja"' in body and r.headers["Retry-After"] == "30"
    finally:
        server.stop()
