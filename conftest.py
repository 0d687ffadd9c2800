"""Shared personas and the browser, for every app's tests.

Personas (as in healthchecks' hc/test.py): each has an intent the tests rely on.
- clerk:        市民課 at the 本庁 counter — runs the counter loop;
- hoken_clerk:  保険年金課 at the 本庁 — a department's staff;
- branch_clerk: 市民課 at the 端野支所 — may not open the 本庁's visits;
- admin:        the system administrator.
"""

import os

import pytest

from demo.staff import DEMO_PASSWORD

CHROMIUM = os.environ.get("MADOGUCHI_CHROMIUM", "/usr/bin/chromium")
# What this machine's closed network needs: no background calls home, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The demo logins are hashed per test; the production hasher's cost is not what is tested.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Rate limits and login lockouts count in the cache (madoguchi/throttle.py): every test
    # starts from none, as a new day at the counter would.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def demo_staff(db):
    from catalog.pack import default_pack
    from demo.staff import ensure_demo_staff

    ensure_demo_staff({code: d.name for code, d in default_pack().departments.items()})
    from django.contrib.auth.models import User

    return {
        u.username: u for u in User.objects.select_related("staff__office", "staff__department")
    }


@pytest.fixture
def clerk(demo_staff):
    return demo_staff["shimin"]


@pytest.fixture
def hoken_clerk(demo_staff):
    return demo_staff["hoken"]


@pytest.fixture
def branch_clerk(demo_staff):
    return demo_staff["shisho"]


@pytest.fixture
def admin(demo_staff):
    return demo_staff["admin"]


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are ordinary synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        locale="ja-JP", base_url=live_server.url, viewport={"width": 1366, "height": 900}
    )
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture
def logged_in_page(page, clerk):
    page.goto("/accounts/login/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    return page


def pytest_terminal_summary(terminalreporter):
    """Print the clerk's effort that the counter-loop browser test measured, even under -q."""
    for report in terminalreporter.stats.get("passed", []):
        props = dict(report.user_properties)
        if "clicks" in props:
            terminalreporter.write_line(
                f"clerk effort, {report.nodeid.split('::')[-1]}: {props['clicks']} clicks, "
                f"{props['typed_fields']} typed fields, {props.get('answers', '?')} interview answers"
            )


@pytest.fixture(autouse=True)
def _kiosk_open(request, monkeypatch):
    """The kiosk gives tickets whatever the hour and day the suite runs at (the pack's office
    hours end at 17:30 JST and skip holidays, and CI runs at any hour); a test of office hours asks for
    `office_hours_of_the_pack` to keep the catalog's."""
    from queues import hours

    if "office_hours_of_the_pack" not in request.fixturenames:
        always = hours.parse("00:00-24:00", hours.DAYS, holidays_closed=False)
        monkeypatch.setattr(hours, "office_hours", lambda: always)


@pytest.fixture
def office_hours_of_the_pack():
    from queues import hours

    return hours.office_hours()
