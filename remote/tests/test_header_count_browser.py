"""A specialist on another page (業務一覧) hears of a new request without opening the lobby:
the header count appears, a chime plays, and a desktop notification is shown once."""

import pytest
from django.urls import reverse

from remote import services

# Records what the page asks of the browser: notifications and tones (headless Chromium has
# neither a desktop nor speakers to check).
RECORDER = """
window.__heard = {notes: [], tones: 0, asked: 0};
class FakeNotification {
  constructor(title, options) { window.__heard.notes.push({title, body: options.body}); }
  static get permission() { return localStorage.getItem("perm") || "%s"; }
  static requestPermission() {
    window.__heard.asked += 1; localStorage.setItem("perm", "granted");
    return Promise.resolve("granted");
  }
}
window.Notification = FakeNotification;
const Real = window.AudioContext;
window.AudioContext = class extends Real {
  createOscillator() { window.__heard.tones += 1; return super.createOscillator(); }
};
"""


def login(page, live_server, client, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.browser
def test_a_new_request_reaches_a_specialist_on_another_page(
    page, live_server, client, hoken_clerk, branch_clerk, branch_visit, hoken
):
    page.add_init_script(RECORDER % "granted")
    login(page, live_server, client, hoken_clerk)
    page.goto(reverse("backoffice:queue"))
    assert not page.is_visible("#remote-count")
    services.request_consultation(branch_visit, by=branch_clerk, department=hoken)
    page.wait_for_selector("#remote-count:not([hidden])", timeout=20_000)  # the next poll
    assert page.text_content("#remote-count") == "1"
    heard = page.evaluate("() => window.__heard")
    assert heard["notes"] == [
        {
            "title": "リモート相談の依頼があります",
            "body": "支所の窓口で住民の方が待っています。待合を開いて受け入れてください。（1）",
        }
    ]
    assert heard["tones"] == 2
    # Another page of the same session does not ring again for the same request.
    page.goto(reverse("catalog:index"))
    assert page.text_content("#remote-count") == "1"
    assert page.evaluate("() => window.__heard.notes.length") == 0


@pytest.mark.browser
def test_notifications_are_asked_for_on_a_click(page, live_server, client, hoken_clerk):
    page.add_init_script(RECORDER % "default")
    login(page, live_server, client, hoken_clerk)
    page.goto(reverse("backoffice:queue"))
    assert page.text_content("#remote-notify") == "通知を受け取る"
    assert page.evaluate("() => window.__heard.asked") == 0  # never without a click
    page.click("#remote-notify")
    page.wait_for_selector("#remote-notify", state="hidden")
    assert page.evaluate("() => window.__heard.asked") == 1
