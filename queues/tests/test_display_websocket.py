"""The display's and the phone's WebSockets hear a call as soon as it is committed."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from madoguchi.asgi import application
from queues import services
from queues.tests.wsclient import WebSocket


def in_own_thread(fn):
    """Playwright's sync API (the session's browser) keeps an event loop in the main thread, where
    async_to_sync cannot run: the scenario gets a thread, and its own database connection."""
    from django.db import connections

    def run():
        try:
            fn()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(run).result()


def _communicator(path, origin=b"http://127.0.0.1"):
    # AllowedHostsOriginValidator: a display page on this host sends its own Origin.
    return WebSocket(application, path, headers=[(b"origin", origin), (b"host", b"127.0.0.1")])


# Committed for real: the consumers' database_sync_to_async closes a connection that sits in a
# test's open transaction (close_old_connections), which on PostgreSQL ends the test's data.
@pytest.mark.django_db(transaction=True)
def test_a_call_reaches_the_display_and_the_phone_of_that_ticket(
    honcho, counters, clerk, django_capture_on_commit_callbacks
):
    ticket = services.issue_ticket(office=honcho, purpose_code="moving")

    def call():
        with django_capture_on_commit_callbacks(execute=True):
            services.call_next(counters[1], by=clerk)

    async def scenario():
        display = _communicator("/ws/queue/display/honcho/")
        phone = _communicator(f"/ws/queue/ticket/{ticket.token}/")
        assert await display.connect() and await phone.connect()
        first = await phone.receive_json_from(timeout=3)
        assert first["state"] == "waiting" and first["ahead"] == 0
        await sync_to_async(call)()  # in this thread: the test's database connection
        got = await display.receive_json_from(timeout=3)
        assert (got["kind"], got["ticket"], got["counter"]) == ("called", "A001", 1)
        status = await phone.receive_json_from(timeout=3)
        assert status["state"] == "called" and "1番窓口" in status["message"]
        await display.disconnect()
        await phone.disconnect()

    in_own_thread(lambda: async_to_sync(scenario)())


@pytest.mark.django_db
def test_a_websocket_from_another_site_is_refused():
    async def scenario():
        ws = _communicator("/ws/queue/display/honcho/", origin=b"http://evil.example")
        assert not await ws.connect()

    in_own_thread(lambda: async_to_sync(scenario)())


@pytest.mark.django_db(transaction=True)
def test_a_transfer_reaches_the_phone_with_the_new_counter_and_the_display_with_it(
    honcho, counters, clerk, django_capture_on_commit_callbacks
):
    ticket = services.issue_ticket(office=honcho, purpose_code="moving")
    services.call_next(counters[1], by=clerk)

    def transfer():
        with django_capture_on_commit_callbacks(execute=True):
            services.transfer(ticket, by=clerk, counter=counters[5])

    async def scenario():
        display = _communicator("/ws/queue/display/honcho/")
        phone = _communicator(f"/ws/queue/ticket/{ticket.token}/")
        assert await display.connect() and await phone.connect()
        assert (await phone.receive_json_from(timeout=3))["state"] == "called"
        await sync_to_async(transfer)()
        got = await display.receive_json_from(timeout=3)
        assert (got["kind"], got["counter"], got["department"]) == ("transferred", 5, "保険年金課")
        status = await phone.receive_json_from(timeout=3)
        assert status["state"] == "waiting" and "担当が 5番窓口 に変わりました" in status["message"]
        await display.disconnect()
        await phone.disconnect()

    in_own_thread(lambda: async_to_sync(scenario)())
