"""A counter PC without a camera or microphone says so in plain Japanese, and still joins."""

import pytest
from django.urls import reverse

from remote import services


@pytest.fixture
def room_url(requested, hoken_clerk):
    services.admit(requested, by=hoken_clerk)
    return reverse("remote:room", args=[requested.pk])


@pytest.mark.browser
def test_no_camera_or_microphone_gives_a_clear_message(
    page, live_server, client, branch_clerk, room_url
):
    # The session's Chromium has no fake devices: with permission granted, none are found.
    page.context.grant_permissions(["camera", "microphone"], origin=live_server.url)
    client.force_login(branch_clerk)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    # The live server speaks WSGI only: the room's socket is refused and retried, which keeps the
    # page from "load"; the message comes before any socket.
    page.goto(room_url, wait_until="domcontentloaded")
    page.wait_for_selector("#call-error:not([hidden])")
    assert "カメラまたはマイクが見つかりません" in page.text_content("#call-error")


@pytest.mark.browser
def test_a_refused_permission_gives_a_clear_message(
    page, live_server, client, branch_clerk, room_url
):
    # What Chromium answers when the user (or a policy) has blocked the camera for this site.
    page.add_init_script(
        "navigator.mediaDevices.getUserMedia = () => "
        "Promise.reject(new DOMException('blocked', 'NotAllowedError'));"
    )
    client.force_login(branch_clerk)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(room_url, wait_until="domcontentloaded")
    page.wait_for_selector("#call-error:not([hidden])")
    assert "許可されていません" in page.text_content("#call-error")
