"""In Chromium: before the idle logout the page warns 「まもなく自動でログアウトします」; its button
keeps the session, and without it the session ends on the server and the page shows why.

The idle time is shortened to seconds for the test (settings reach the live server's thread).
"""

import pytest
from playwright.sync_api import expect


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_warning_comes_its_button_continues_and_then_the_session_ends(logged_in_page, settings):
    settings.IDLE_TIMEOUT = 6
    settings.IDLE_WARNING = 3
    page = logged_in_page
    page.goto("/")  # a page drawn with the short times
    warning = page.locator("#idle-warning")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=8_000)
    expect(warning).to_contain_text("まもなく自動でログアウトします")
    expect(warning).to_contain_text("秒")

    page.click("#idle-continue")
    expect(warning).to_be_hidden()
    # The server counted it: the session is alive past the first deadline.
    page.wait_for_timeout(3_500)
    r = page.request.get("/accounts/keepalive/", headers={"X-Madoguchi-Background": "1"})
    assert r.ok and r.json()["remaining"] > 0

    # Now nobody touches the terminal: the warning again, then the login page and why.
    expect(warning).to_be_visible(timeout=8_000)
    page.wait_for_url("**/accounts/login/**", timeout=12_000)
    expect(page.locator("main")).to_contain_text("一定時間操作がなかったため")
    r = page.request.get("/", max_redirects=0)
    assert r.status == 302  # logged out on the server, not only on the screen


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_polling_screens_do_not_keep_an_unattended_session_alive(logged_in_page, settings):
    settings.IDLE_TIMEOUT = 6
    settings.IDLE_WARNING = 3
    page = logged_in_page
    page.goto("/backoffice/")  # polls its live list every few seconds
    page.wait_for_url("**/accounts/login/**", timeout=15_000)
    expect(page.locator("main")).to_contain_text("一定時間操作がなかったため")
