"""In Chromium, by keyboard: a clerk locks their name with wrong passwords, the administrator
opens 職員アカウント from the header, presses 「ロックを解除」, and the clerk logs in.

(Chromium does not run access keys for synthetic key presses, so the test checks that the
button carries one and presses it with Enter.)"""

import os

import pytest
from playwright.sync_api import expect

from demo.staff import DEMO_PASSWORD


def login(page, username, password):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_administrator_unlocks_a_clerk_by_keyboard(browser, live_server, demo_staff):
    def new_page():
        context = browser.new_context(locale="ja-JP", base_url=live_server.url)
        return context.new_page()

    clerk = new_page()
    for n in range(1, 6):
        login(clerk, "shimin", "wrong")
        # Each refusal read before the next try: a try the next page load cut short would not
        # be counted, and the lock would not come.
        said = (
            "一時的にロックされています"
            if n == 5
            else "ユーザー名またはパスワードが正しくありません"
        )
        expect(clerk.locator("main")).to_contain_text(said)
    login(clerk, "shimin", DEMO_PASSWORD)
    expect(clerk.locator("main")).to_contain_text("一時的にロックされています")

    admin = new_page()
    login(admin, "admin", DEMO_PASSWORD)
    admin.locator("header a", has_text="職員アカウント").focus()
    admin.keyboard.press("Enter")
    admin.wait_for_url("**/accounts/staff/")
    locked = admin.inner_text("#locked-accounts")
    assert "市民課 窓口 青木" in locked and "あと約15分" in locked
    if shot := os.environ.get("MADOGUCHI_SCREENSHOT"):
        admin.screenshot(path=shot, full_page=True)
    button = admin.locator("#locked-accounts button[accesskey=u]")
    assert button.inner_text().startswith("ロックを解除")
    button.focus()
    with admin.expect_navigation():
        admin.keyboard.press("Enter")
    admin.wait_for_selector("#no-locks")
    assert "市民課 窓口 青木 のログインのロックを解除しました。" in admin.inner_text("main")

    login(clerk, "shimin", DEMO_PASSWORD)
    clerk.wait_for_url(live_server.url + "/")
    assert "市民課 窓口 青木" in clerk.inner_text("header")
