"""The room in Chromium with fake devices: the 書画カメラ switch only where there is a second
camera, and an answer given after the other side hung up stays on screen, saved."""

import pytest
from django.urls import reverse

from conftest import CHROMIUM, CHROMIUM_ARGS
from remote import services


@pytest.fixture
def room_url(requested, hoken_clerk):
    services.admit(requested, by=hoken_clerk)
    return reverse("remote:room", args=[requested.pk])


@pytest.fixture
def devices_page(browser, live_server, client, branch_clerk):
    """A page of a Chromium whose fake media devices number `cameras` (Chromium's flags)."""
    opened = []

    def open_with(cameras: int):
        b = browser.browser_type.launch(
            executable_path=CHROMIUM,
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",
                f"--use-fake-device-for-media-stream=device-count={cameras}",
            ],
        )
        opened.append(b)
        context = b.new_context(locale="ja-JP", base_url=live_server.url)
        client.force_login(branch_clerk)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_with
    for b in opened:
        b.close()


def cameras_listed(page):
    # The live server speaks WSGI only: the room's socket is retried, so no "load" is awaited.
    page.wait_for_selector("#local-video", state="attached")
    for _ in range(100):
        if page.evaluate("() => !!window.madoguchiRoom && window.madoguchiRoom.cameras()"):
            return page.evaluate("() => window.madoguchiRoom.cameras()")
        page.wait_for_timeout(100)
    raise AssertionError("the room never listed the cameras")


@pytest.mark.browser
def test_a_pc_with_one_camera_has_no_document_camera_button(devices_page, room_url):
    page = devices_page(1)
    page.goto(room_url, wait_until="domcontentloaded")
    assert cameras_listed(page) == 1
    assert page.locator("#switch-camera").count() == 1
    assert not page.is_visible("#switch-camera")  # hidden, also against app.css's buttons


@pytest.mark.browser
def test_a_pc_with_a_second_camera_shows_the_button(devices_page, room_url):
    page = devices_page(2)
    page.goto(room_url, wait_until="domcontentloaded")
    assert cameras_listed(page) == 2
    assert page.is_visible("#switch-camera")
    assert page.text_content("#switch-camera") == "書画カメラに切り替え"


@pytest.mark.browser
def test_answering_after_the_specialist_hung_up_keeps_the_visit_and_saves(
    devices_page, room_url, requested, hoken_clerk, branch_clerk
):
    page = devices_page(1)
    page.goto(room_url, wait_until="domcontentloaded")
    question = ".qgroup[data-fact='new_dwelling'] button.choice[data-value='false']"
    page.wait_for_selector(question)
    services.end(requested, by=hoken_clerk)  # meanwhile, the specialist hangs up
    page.click(question)
    page.wait_for_selector("#live p.error[role=alert]")
    assert "この回答は来庁記録に保存しました" in page.text_content("#live p.error")
    assert page.is_visible("#live #procedures")  # the shared visit is still on screen
    assert page.locator(".qgroup[data-fact='new_dwelling']").count() == 0
    requested.visit.refresh_from_db()
    assert requested.visit.answers.filter(fact="new_dwelling", by=branch_clerk).exists()
