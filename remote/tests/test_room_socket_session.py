"""The room's socket follows the staff pages' session rules: an idle session, one too long since
login, or one that owes the second factor gets a close code instead of the room, and an open
socket closes once its session has ended — logged out in another tab or gone idle. The public
display is no staff socket: a stale cookie on its PC changes nothing.

Each socket goes through the whole ASGI application (madoguchi.asgi), with the session cookie
the browser would send."""

import time

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.sessions import LAST_ACTIVITY, SESSION_START
from accounts.sockets import SECOND_FACTOR_DUE, SESSION_ENDED
from demo.staff import DEMO_PASSWORD
from remote import services
from remote.tests.test_room_websocket import in_own_thread
from remote.tests.wsclient import WebsocketCommunicator, session_cookie


def logged_in(user) -> Client:
    """A browser that logged in through the login page (its middleware wrote the session's times)."""
    c = Client()
    r = c.post(reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD})
    assert r.status_code == 302, r.content.decode()[:300]
    return c


def set_session(client, **values):
    s = client.session
    s.update(values)
    s.save()


def socket(path, client=None):
    from madoguchi.asgi import application

    headers = [(b"host", b"testserver"), (b"origin", b"http://testserver")]
    if client is not None:
        headers.append(session_cookie(client.session))
    return WebsocketCommunicator(application, path, headers)


def run(scenario, *args):
    in_own_thread(lambda: async_to_sync(scenario)(*args))


@pytest.fixture
def room(requested, hoken_clerk):
    """The room's socket address, of a consultation the specialist admitted."""
    services.admit(requested, by=hoken_clerk)
    return f"/ws/remote/{requested.pk}/"


def page_of(room: str) -> str:
    return reverse("remote:room", args=[int(room.strip("/").rsplit("/", 1)[1])])


@pytest.fixture
def quick(settings):
    settings.IDLE_TIMEOUT = 30 * 60
    settings.STAFF_SOCKET_CHECK = 0.1
    return settings


@pytest.mark.django_db(transaction=True)
def test_a_party_with_a_live_session_gets_the_room_and_keeps_it(room, branch_clerk, quick):
    browser = logged_in(branch_clerk)

    async def scenario():
        ws = socket(room, browser)
        assert (await ws.connect())[0]
        assert await ws.receive_json_from() == {"kind": "welcome", "role": "branch"}
        assert await ws.receive_nothing(timeout=0.5)  # several checks passed, still open
        await ws.disconnect()

    run(scenario)


@pytest.mark.django_db(transaction=True)
def test_an_idle_session_gets_a_close_code_not_the_room(room, branch_clerk, quick):
    browser = logged_in(branch_clerk)
    set_session(browser, **{LAST_ACTIVITY: int(time.time()) - 31 * 60})

    async def scenario():
        ws = socket(room, browser)
        assert (await ws.connect())[0]  # accepted only so that the page reads the code
        assert await ws.closed_with() == SESSION_ENDED  # nothing said before: no welcome

    run(scenario)
    # The page then reloads, and lands where a click would: the login page, and why.
    r = browser.get(page_of(room))
    assert r.status_code == 302
    page = browser.get(r["Location"]).content.decode()
    assert "一定時間操作がなかったため、自動でログアウトしました" in page


@pytest.mark.django_db(transaction=True)
def test_a_session_past_the_working_day_gets_a_close_code(room, branch_clerk, quick):
    browser = logged_in(branch_clerk)
    set_session(browser, **{SESSION_START: int(time.time()) - 13 * 3600})

    async def scenario():
        ws = socket(room, browser)
        assert (await ws.connect())[0]
        assert await ws.closed_with() == SESSION_ENDED

    run(scenario)


@pytest.mark.django_db(transaction=True)
def test_no_session_at_all_gets_the_code_that_sends_the_page_to_log_in(room, quick):
    async def scenario():
        ws = socket(room)
        assert (await ws.connect())[0]
        assert await ws.closed_with() == SESSION_ENDED

    run(scenario)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("why", ["role", "enrolled"])
def test_a_session_that_owes_the_second_factor_is_refused_until_it_shows_a_code(
    room, hoken_clerk, quick, why
):
    """Production asks the code of the roles in MADOGUCHI_2FA_ROLES (here a city that asks it of
    its specialists too), and of anyone who turned it on."""
    device = TOTPDevice.objects.create(user=hoken_clerk, name="phone", confirmed=True)
    if why == "role":
        quick.TWO_FACTOR_ROLES = ["admin", "supervisor", "department"]
    browser = logged_in(hoken_clerk)
    # The page says the same: the room itself sends the browser to type the code first.
    r = browser.get(page_of(room))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:otp_verify"))

    async def scenario(expect_open):
        ws = socket(room, browser)
        assert (await ws.connect())[0]
        if expect_open:
            assert (await ws.receive_json_from())["kind"] == "welcome"
            await ws.disconnect()
        else:
            assert await ws.closed_with() == SECOND_FACTOR_DUE

    run(scenario, False)
    # What django_otp's login() leaves in the session once the code is right.
    set_session(browser, otp_device_id=device.persistent_id)
    run(scenario, True)
    # A device that is not this user's, or not confirmed, does not count.
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    if why == "role":
        run(scenario, False)


@pytest.mark.django_db(transaction=True)
def test_logging_out_in_another_tab_closes_the_open_room_socket(room, branch_clerk, quick):
    browser = logged_in(branch_clerk)

    async def scenario():
        ws = socket(room, browser)
        assert (await ws.connect())[0]
        await ws.receive_json_from()  # welcome
        r = await sync_to_async(browser.post)(reverse("accounts:logout"))
        assert r.status_code == 302
        assert await ws.closed_with(timeout=3) == SESSION_ENDED
        # Reconnecting (live-socket.js would, were it not for the code) gets the same answer.
        again = socket(room, browser)
        assert (await again.connect())[0]
        assert await again.closed_with() == SESSION_ENDED

    run(scenario)


@pytest.mark.django_db(transaction=True)
def test_a_socket_whose_session_goes_idle_is_closed_while_open(room, branch_clerk, quick):
    browser = logged_in(branch_clerk)

    async def scenario():
        ws = socket(room, browser)
        assert (await ws.connect())[0]
        await ws.receive_json_from()
        assert await ws.receive_nothing(timeout=0.3)
        # Nobody clicked for 31 minutes: another tab's next page would log out now.
        stale = {LAST_ACTIVITY: int(time.time()) - 31 * 60}
        await sync_to_async(set_session)(browser, **stale)
        assert await ws.closed_with(timeout=3) == SESSION_ENDED

    run(scenario)


@pytest.mark.django_db(transaction=True)
def test_the_public_display_opens_without_a_session_and_with_a_stale_one(clerk, quick):
    """The lobby display's PC may carry an old staff cookie: the display is public either way,
    and stays open past several of the staff sockets' checks."""
    browser = logged_in(clerk)
    set_session(browser, **{LAST_ACTIVITY: int(time.time()) - 31 * 60})
    office = clerk.staff.office.code

    async def scenario():
        for who in (None, browser):
            ws = socket(f"/ws/queue/display/{office}/", who)
            assert (await ws.connect())[0]
            assert await ws.receive_nothing(timeout=0.4)  # not closed
            await ws.disconnect()

    run(scenario)


@pytest.mark.django_db
def test_the_room_tells_its_script_to_count_a_connected_call_as_activity(
    requested, hoken_clerk, branch_clerk, settings
):
    """A call is work without clicks: while connected, room.js posts to the keepalive (as
    「操作を続ける」 does) well within the idle time, so nobody is logged out mid-sentence."""
    import json
    import re

    services.admit(requested, by=hoken_clerk)
    settings.IDLE_TIMEOUT = 90
    browser = logged_in(branch_clerk)
    page = browser.get(reverse("remote:room", args=[requested.pk])).content.decode()
    config = json.loads(re.search(r'id="room-config"[^>]*>(.*?)</script>', page).group(1))
    assert config["keepalive"] == reverse("accounts:keepalive")
    assert config["activitySeconds"] == 30
    assert config["messages"]["sessionEnded"].startswith("ログインの有効期限が切れたため")
