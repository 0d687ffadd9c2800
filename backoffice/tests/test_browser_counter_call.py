"""In Chromium: the counter clerk calls 保険年金課 from the visit page; the department's open
work-queue screen shows the call (and rings) without a reload; taking it shows on the
counter's board who is coming."""

import pytest

from demo.staff import DEMO_PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_call_from_the_counter_appears_on_the_departments_screen(
    browser, live_server, logged_in_page, hoken_clerk, accepted_visit
):
    counter = logged_in_page
    dept_ctx = browser.new_context(
        locale="ja-JP", base_url=live_server.url, viewport={"width": 1366, "height": 900}
    )
    try:
        dept = dept_ctx.new_page()
        dept.set_default_timeout(15_000)
        dept.goto("/accounts/login/")
        dept.fill("#id_username", hoken_clerk.username)
        dept.fill("#id_password", DEMO_PASSWORD)
        dept.click("button[type=submit]")
        dept.wait_for_url("**/backoffice/")
        assert dept.locator(".calls").count() == 0

        counter.goto(f"/visits/{accepted_visit.number}/")
        counter.wait_for_selector("#board-tasks")  # the progress board, loaded after the page
        counter.select_option("#call-form select[name=department]", label="保険年金課")
        counter.fill("#call-form input[name=counter]", "3")
        counter.click("#call")
        counter.wait_for_selector("text=保険年金課を3番窓口へ呼びました")
        counter.wait_for_selector("#board-calls >> text=呼出中")

        # No reload on the department's side: the poll brings the call, with its chime.
        dept.wait_for_selector("text=保険年金課の担当の方、3番窓口へ")
        assert dept.locator("[data-chime]").count() == 1
        dept.click(".calls button.take")
        dept.wait_for_selector("text=3番窓口へ向かってください")
        assert dept.locator(".calls").count() == 0

        counter.wait_for_selector("#board-calls >> text=保険年金課 井上が向かっています")
    finally:
        dept_ctx.close()
