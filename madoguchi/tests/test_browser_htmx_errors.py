"""In Chromium: when a save fails, the screen says so in Japanese and never "保存しました".

The failures are real ones: the network request aborted, the server refusing (403), the
application server stopped, and a server whose database is down (503).
"""

from datetime import date

import pytest
from django.test import Client
from playwright.sync_api import expect

from counter.models import Visit

PHONE = "input[name=phone]"


def open_visit(clerk):
    from counter import services
    from counter.tests.factories import elderly_couple

    hh, _h, _w = elderly_couple()
    return services.start_visit(
        by=clerk,
        office=clerk.staff.office,
        events=["tenshutsu"],
        event_date=date(2026, 6, 15),
        household=hh,
    )


def change(page, selector, value):
    page.fill(selector, value)
    page.locator(selector).dispatch_event("change")


def phone_status(page):
    return page.locator(f"{PHONE} >> xpath=ancestor::p[1]//span[contains(@class, 'status')]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_save_that_never_reaches_the_server_says_it_was_not_saved(logged_in_page, clerk):
    visit = open_visit(clerk)
    page = logged_in_page
    page.goto(f"/visits/{visit.number}/")
    change(page, PHONE, "0157-11-1111")
    expect(phone_status(page)).to_have_text("保存しました")

    page.route("**/address/", lambda route: route.abort("connectionrefused"))
    change(page, PHONE, "0157-22-2222")
    banner = page.locator("#error-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("サーバーに接続できません。この操作は保存されていません。")
    expect(phone_status(page)).to_have_text("保存されていません")
    expect(page.locator("text=保存しました")).to_have_count(0)
    visit.refresh_from_db()
    assert visit.phone == "0157-11-1111"

    # The network is back: the next save goes through and the banner goes away.
    page.unroute("**/address/")
    change(page, PHONE, "0157-33-3333")
    expect(phone_status(page)).to_have_text("保存しました")
    expect(banner).to_be_hidden()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_refusal_shows_the_servers_japanese_message(logged_in_page, clerk):
    from accounts.models import Office

    visit = open_visit(clerk)
    page = logged_in_page
    page.goto(f"/visits/{visit.number}/")
    # Meanwhile the clerk is moved to the branch office: this visit is no longer theirs.
    clerk.staff.office = Office.objects.get(code="tanno")
    clerk.staff.save()
    change(page, PHONE, "0157-44-4444")
    banner = page.locator("#error-banner")
    expect(banner).to_contain_text("他の庁舎の来庁は表示できません。")
    expect(banner).to_contain_text("保存されていません")
    expect(phone_status(page)).to_have_text("保存されていません")
    assert Visit.objects.get(pk=visit.pk).phone != "0157-44-4444"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_change_by_another_clerk_is_refused_not_overwritten(logged_in_page, clerk):
    """The field's 'seen' value (sent by app.js, formerly an hx-vals js: expression) reaches the
    server: a change made in between is named, and nothing is saved."""
    visit = open_visit(clerk)
    page = logged_in_page
    page.goto(f"/visits/{visit.number}/")
    change(page, PHONE, "0157-55-5555")
    expect(phone_status(page)).to_have_text("保存しました")
    other = Client()
    other.force_login(clerk)
    other.post(
        f"/visits/{visit.number}/address/",
        {"which": "new_address", "phone": "0157-66-6666", "seen": "0157-55-5555"},
    )
    change(page, PHONE, "0157-77-7777")
    expect(phone_status(page)).not_to_have_text("保存しました")
    expect(phone_status(page)).to_contain_text("0157-66-6666")
    assert Visit.objects.get(pk=visit.pk).phone == "0157-66-6666"


# -- a real application server, stopped, then started with its database down ------------------


@pytest.fixture(scope="module")
def live_db(tmp_path_factory):
    from queues.tests.servers import ScratchDatabase

    db = ScratchDatabase(tmp_path_factory.mktemp("outage"))
    yield db
    db.drop()


@pytest.mark.browser
def test_a_stopped_server_and_a_database_outage_are_told_apart(browser, live_db):
    from queues.tests.servers import Server

    from .test_error_pages import DownDatabase

    number = live_db.run(
        "from datetime import date\n"
        "from django.contrib.auth.models import User\n"
        "from counter import services\n"
        "from counter.tests.factories import elderly_couple\n"
        "clerk = User.objects.get(username='shimin')\n"
        "hh, _h, _w = elderly_couple()\n"
        "v = services.start_visit(by=clerk, office=clerk.staff.office, events=['tenshutsu'],"
        " event_date=date(2026, 6, 15), household=hh)\n"
        "print(v.number)\n"
    ).strip()
    server = Server(live_db)
    context = browser.new_context(locale="ja-JP", base_url=server.url)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": live_db.sessions["shimin"],
                "domain": "127.0.0.1",
                "path": "/",
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    down = None
    try:
        page.goto(f"/visits/{number}/")
        change(page, PHONE, "0157-11-1111")
        expect(phone_status(page)).to_have_text("保存しました")

        server.stop()
        change(page, PHONE, "0157-22-2222")
        banner = page.locator("#error-banner")
        expect(banner).to_contain_text("サーバーに接続できません。この操作は保存されていません。")
        expect(phone_status(page)).to_have_text("保存されていません")

        # Back on the same address, but its database is down: the server says which.
        down = Server(DownDatabase(), port=server.port)
        page.locator("[data-dismiss=error-banner]").click()
        change(page, PHONE, "0157-33-3333")
        # The pool waits MADOGUCHI_DB_POOL_TIMEOUT (5 s) for the database before it says so.
        expect(banner).to_contain_text("データベースに接続できません", timeout=20_000)
        expect(phone_status(page)).to_have_text("保存されていません")
        expect(page.locator("text=保存しました")).to_have_count(0)
    finally:
        context.close()
        server.stop()
        if down is not None:
            down.stop()
    saved = live_db.run(
        f"from counter.models import Visit; print(Visit.objects.get(number='{number}').phone)"
    )
    assert saved.strip() == "0157-11-1111"
