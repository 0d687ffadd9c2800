"""In Chromium, against a real uvicorn process: the call display and the phone's wait page say
when their live link is down — the display with a large red banner on the TV, the phone with
a notice — and recover by themselves when Redis or the server is back, hearing calls again.

Redis is a redis-server of this test alone (queues.tests.servers.PrivateRedis), killed and
started again; the server is stopped and started on the same port. Beats every second.
"""

import uuid

import pytest

from queues.tests.servers import PrivateRedis, Server
from queues.tests.test_two_processes import post_as

ISSUE = """
from accounts.models import Office
from queues import services
from queues.models import Counter
office = Office.objects.get(code="honcho")
services.close_day(office=office, reason="test")
tickets = [services.issue_ticket(office=office, purpose_code="birth") for _ in range({n})]
print(" ".join(t.label for t in tickets), " ".join(t.token for t in tickets),
      Counter.objects.get(office=office, number=2).pk)
"""
BEAT = {"MADOGUCHI_LIVE_BEAT": "1"}

SEEN = """() => {
  const el = document.getElementById("link");
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {top: r.top, bottom: r.bottom, width: r.width, vw: innerWidth, vh: innerHeight,
          font: parseFloat(s.fontSize), bg: s.backgroundColor, onTop: el.contains(hit),
          text: el.innerText};
}"""


def assert_banner_seen_across_the_room(page):
    """On the screen (not below the fold), on top, the width of the screen, red, large."""
    b = page.evaluate(SEEN)
    assert 0 <= b["top"] and b["bottom"] <= b["vh"], b
    assert b["onTop"] and b["width"] >= 0.95 * b["vw"], b
    assert b["bg"] == "rgb(204, 0, 0)" and b["font"] >= 0.04 * b["vh"], b
    assert "接続が切れています" in b["text"]


def _issue(scratch_db, n):
    out = scratch_db.run(ISSUE.format(n=n)).split()
    return out[:n], out[n : 2 * n], out[-1]


@pytest.fixture
def redis_server(tmp_path):
    redis = PrivateRedis(tmp_path)
    yield redis
    redis.stop()


@pytest.fixture
def tv(browser):
    contexts = []

    def open_on(server):
        ctx = browser.new_context(
            locale="ja-JP", base_url=server.url, viewport={"width": 1600, "height": 900}
        )
        contexts.append(ctx)
        return ctx.new_page()

    yield open_on
    for ctx in contexts:
        ctx.close()


@pytest.mark.browser
def test_the_display_shows_the_banner_while_redis_is_away_and_hears_calls_when_back(
    tv, scratch_db, redis_server
):
    server = Server(scratch_db, redis_url=redis_server.url, prefix=uuid.uuid4().hex, env=BEAT)
    try:
        (label,), _tokens, counter_pk = _issue(scratch_db, 1)
        display = tv(server)
        display.goto("/queue/display/honcho/")
        display.wait_for_selector("body[data-connected='1']")
        assert display.locator("#link").is_hidden()

        redis_server.stop()
        display.wait_for_selector("#link", state="visible", timeout=10_000)
        assert_banner_seen_across_the_room(display)
        assert server.proc.poll() is None  # the process runs on without its broker

        redis_server.start()
        display.wait_for_selector("#link", state="hidden", timeout=20_000)
        display.wait_for_selector("body[data-connected='1']", timeout=10_000)
        response = post_as(server, f"/queue/staff/counters/{counter_pk}/next/",
                           scratch_db.sessions["shimin"])  # fmt: skip
        assert response.status == 302
        display.wait_for_selector(f"[data-counter='2'] .now:text-is('{label}')", timeout=5000)
    finally:
        server.stop()


@pytest.mark.browser
def test_the_display_shows_the_banner_while_the_server_is_down_and_hears_calls_when_back(
    tv, scratch_db
):
    server = Server(scratch_db, env=BEAT)
    try:
        display = tv(server)
        display.goto("/queue/display/honcho/")
        display.wait_for_selector("body[data-connected='1']")
        server.stop()  # the network drops
        display.wait_for_selector("#link", state="visible", timeout=10_000)
        assert_banner_seen_across_the_room(display)
        (label,), _tokens, counter_pk = _issue(scratch_db, 1)
        server = Server(scratch_db, port=server.port, env=BEAT)
        display.wait_for_selector("#link", state="hidden", timeout=20_000)
        display.wait_for_selector("body[data-connected='1']", timeout=10_000)
        response = post_as(server, f"/queue/staff/counters/{counter_pk}/next/",
                           scratch_db.sessions["shimin"])  # fmt: skip
        assert response.status == 302
        display.wait_for_selector(f"[data-counter='2'] .now:text-is('{label}')", timeout=5000)
    finally:
        server.stop()


@pytest.mark.browser
def test_the_phone_says_so_when_its_link_is_down_and_still_learns_it_is_called(
    browser, scratch_db, redis_server
):
    server = Server(scratch_db, redis_url=redis_server.url, prefix=uuid.uuid4().hex, env=BEAT)
    phone = browser.new_context(
        locale="ja-JP", base_url=server.url, viewport={"width": 390, "height": 800}
    )
    try:
        (first, second), (token, _t2), counter_pk = _issue(scratch_db, 2)
        page = phone.new_page()
        page.goto(f"/queue/t/{token}/")
        page.wait_for_selector("#wait[data-link='live']")
        assert page.locator("#link").is_hidden()

        # Redis away: the page polls and says so in a notice; the call still reaches it.
        redis_server.stop()
        page.wait_for_selector("#wait[data-link='polling']", timeout=10_000)
        assert "自動更新が途切れています" in page.inner_text("#link")
        clerk = scratch_db.sessions["shimin"]
        assert post_as(server, f"/queue/staff/counters/{counter_pk}/next/", clerk).status == 302
        page.wait_for_selector("#wait[data-state='called']", timeout=10_000)

        # The server away too: nothing answers, the banner turns red.
        server.stop()
        page.wait_for_selector("#wait[data-link='down']", timeout=10_000)
        assert "接続が切れています" in page.inner_text("#link")
        assert page.evaluate(SEEN)["bg"] == "rgb(204, 0, 0)"

        # Both back: the notice goes by itself and the page is live again.
        redis_server.start()
        server = Server(scratch_db, redis_url=redis_server.url, port=server.port,
                        prefix=uuid.uuid4().hex, env=BEAT)  # fmt: skip
        page.wait_for_selector("#wait[data-link='live']", timeout=20_000)
        assert page.locator("#link").is_hidden()
        assert page.get_attribute("#wait", "data-state") == "called"
    finally:
        phone.close()
        server.stop()
    assert first != second
