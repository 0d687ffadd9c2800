"""In Chromium, by keyboard: a supervisor opens the audit screen from the header, types a
宛名番号 in the field that has the focus, presses Enter, and pages on.

(Chromium does not run access keys for synthetic key presses, so the test checks that the
links carry them and follows them with Enter.)"""

from datetime import date

import pytest

from accounts import audit
from counter.tests.factories import household, resident
from demo.staff import DEMO_PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_searches_the_log_by_keyboard(page, demo_staff):
    kasai = resident(
        household(), "葛\U000e0100西　辰治", "カサイ　タツジ", date(1988, 5, 12), "世帯主"
    )
    for _ in range(55):
        audit.record(demo_staff["shimin"], "resident.viewed", resident_id=kasai.id)
    page.goto("/accounts/login/")
    page.fill("#id_username", "kanri")
    page.fill("#id_password", DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    header_link = page.locator("header a[accesskey=l]")
    assert header_link.inner_text() == "監査ログ"
    header_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/audit/")
    assert page.evaluate("document.activeElement.id") == "id_resident"
    page.keyboard.type(kasai.person_no)
    page.keyboard.press("Enter")
    page.wait_for_selector("#audit-count")
    assert page.locator("#audit-rows tbody tr").count() == 50
    assert "葛\U000e0100西　辰治" in page.locator("#audit-rows").inner_text()
    next_link = page.locator("a[rel=next][accesskey=n]")
    next_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**page=2**")
    # 55 looks, and the screen's own first look at kasai
    assert page.locator("#audit-rows tbody tr").count() == 6
