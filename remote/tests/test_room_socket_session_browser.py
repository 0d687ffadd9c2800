"""The room in Chromium when its socket is closed for the session (accounts/sockets.py): the call
ends on the page with a Japanese reason, the socket is not retried, and the page goes where a
click would — the login page. The socket's server is played by Playwright (the live server
speaks WSGI only); test_room_socket_session.py checks the real consumer sends these codes."""

import pytest
from django.contrib.sessions.models import Session

from remote.tests.test_room_browser import devices_page, room_url  # noqa: F401


@pytest.mark.browser
@pytest.mark.parametrize(
    ("code", "says"),
    [
        (4401, "ログインの有効期限が切れたため、通話を終了しました。"),
        (4403, "2段階認証の確認コードが必要なため、通話を終了しました。"),
    ],
    ids=["session-ended", "second-factor-due"],
)
def test_a_closed_session_ends_the_call_and_sends_the_page_to_log_in(
    devices_page,  # noqa: F811
    room_url,  # noqa: F811
    code,
    says,
):
    page = devices_page(1)
    sockets = []
    page.route_web_socket("**/ws/remote/**", lambda ws: sockets.append(ws))
    page.goto(room_url, wait_until="domcontentloaded")
    for _ in range(100):
        if sockets:
            break
        page.wait_for_timeout(100)
    assert len(sockets) == 1
    Session.objects.all().delete()  # logged out in another tab
    sockets[0].close(code=code)
    page.wait_for_function(
        "(says) => document.getElementById('call-status').textContent.includes(says)", arg=says
    )
    assert page.evaluate("() => !window.madoguchiRoom.peer()")  # no media goes on without it
    page.wait_for_url("**/accounts/login/**", timeout=8_000)
    assert len(sockets) == 1  # never reopened: it would only be refused again
