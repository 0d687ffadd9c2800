"""In Chromium, against a real ASGI server: a resident takes a ticket at the kiosk, a clerk calls
it, and the call appears on the room's display and on the resident's phone, both live."""

import pytest

CLOSE_DAY = """
from queues import services
services.close_day(reason="test")
"""


@pytest.mark.browser
def test_a_kiosk_ticket_called_by_the_clerk_shows_on_the_display_and_the_phone(
    browser, asgi_server, scratch_db
):
    scratch_db.run(CLOSE_DAY)  # tickets of earlier tests on this database do not come first
    resident = browser.new_context(locale="ja-JP", base_url=asgi_server.url)
    phone = browser.new_context(
        locale="ja-JP", base_url=asgi_server.url, viewport={"width": 390, "height": 800}
    )
    room = browser.new_context(
        locale="ja-JP", base_url=asgi_server.url, viewport={"width": 1600, "height": 900}
    )
    staff = browser.new_context(locale="ja-JP", base_url=asgi_server.url)
    staff.add_cookies(
        [{"name": "sessionid", "value": scratch_db.sessions["shimin"], "url": asgi_server.url}]
    )
    try:
        kiosk = resident.new_page()
        kiosk.add_init_script("window.print = function () {};")  # no printer dialog in a test
        kiosk.goto("/queue/kiosk/honcho/")
        kiosk.click("button[data-purpose=moving]")
        kiosk.wait_for_selector("#ticket-number")
        label = kiosk.inner_text("#ticket-number").strip()
        wait_url = kiosk.get_attribute("#receipt", "data-wait")
        assert label.startswith("A") and kiosk.locator("#receipt svg").count() == 1

        display = room.new_page()
        display.goto("/queue/display/honcho/")
        display.wait_for_selector("body[data-connected='1']")
        mobile = phone.new_page()
        mobile.goto(wait_url)
        mobile.wait_for_selector("text=あなたの前に 0 人お待ちです")

        clerk = staff.new_page()
        clerk.goto("/queue/staff/")
        clerk.select_option("#choose-counter select", label="1番窓口（市民課）")
        clerk.wait_for_selector("#call-next")
        clerk.click("#call-next")
        clerk.wait_for_selector(f"text=呼出中：{label}")

        display.wait_for_selector(f"[data-counter='1'] .now:text-is('{label}')", timeout=5000)
        assert display.locator(f"#recent li[data-ticket='{label}']").count() == 1
        # The board plays the spoken call for this number and counter, served by the system.
        spoken = f"/queue/announce/{label}/1.wav"
        display.wait_for_function(f"(document.body.dataset.spoken || '').endsWith('{spoken}')")
        wav = display.request.get(spoken)
        assert wav.ok and wav.headers["content-type"] == "audio/wav" and len(wav.body()) > 50_000
        mobile.wait_for_selector("#wait[data-state='called']", timeout=5000)
        assert "1番窓口へお越しください" in mobile.inner_text("#message")
    finally:
        for ctx in (resident, phone, room, staff):
            ctx.close()
