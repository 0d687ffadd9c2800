"""The room's WebSocket: only the two admitted parties get in, and it relays only between them."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import URLRouter
from django.urls import reverse

from remote import routing, services
from remote.tests.wsclient import WebsocketCommunicator, signed_in


def in_own_thread(fn):
    """The session's Playwright keeps an event loop in the main thread, where async_to_sync
    cannot run: the scenario gets a thread, and its own database connection."""
    from django.db import connections

    def run():
        try:
            fn()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(run).result()


async def room_socket(consultation, user):
    ws = WebsocketCommunicator(
        URLRouter(routing.websocket_urlpatterns), f"/ws/remote/{consultation.pk}/"
    )
    # What AuthMiddlewareStack puts there from the session cookie (test_room_socket_session.py
    # goes through the stack itself).
    ws.scope["user"] = user
    ws.scope["session"] = await sync_to_async(signed_in)(user)
    return ws


# Committed for real: database_sync_to_async closes connections, which would end a test transaction.
@pytest.mark.django_db(transaction=True)
def test_a_consultation_not_yet_admitted_cannot_join_the_room(requested, branch_clerk, hoken_clerk):
    async def scenario():
        for user in (branch_clerk, hoken_clerk):
            ws = await room_socket(requested, user)
            connected, _code = await ws.connect()
            assert not connected

    in_own_thread(lambda: async_to_sync(scenario)())


@pytest.mark.django_db(transaction=True)
def test_only_the_two_parties_join_and_signals_pass_between_them(
    requested, branch_clerk, hoken_clerk, kaigo_clerk, clerk
):
    services.admit(requested, by=hoken_clerk)

    async def scenario():
        for outsider in (kaigo_clerk, clerk):
            connected, _code = await (await room_socket(requested, outsider)).connect()
            assert not connected
        branch, specialist = (
            await room_socket(requested, branch_clerk),
            await room_socket(requested, hoken_clerk),
        )
        assert (await branch.connect())[0] and (await specialist.connect())[0]
        assert (await branch.receive_json_from())["role"] == "branch"
        assert (await specialist.receive_json_from())["role"] == "specialist"
        await branch.send_json_to(
            {"kind": "offer", "data": {"sdp": {"type": "offer", "sdp": "v=0"}, "fresh": True}}
        )
        got = await specialist.receive_json_from(timeout=3)
        assert (got["kind"], got["from"], got["data"]["sdp"]["sdp"]) == ("offer", "branch", "v=0")
        assert await branch.receive_nothing(timeout=0.2)  # not echoed to the sender
        await specialist.send_json_to({"kind": "connected"})
        await branch.send_json_to({"kind": "connected"})
        await branch.receive_nothing(timeout=0.3)
        await branch.disconnect()
        await specialist.disconnect()

    in_own_thread(lambda: async_to_sync(scenario)())
    requested.refresh_from_db()
    assert requested.state == "connected"
    assert requested.events.filter(kind="connected").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_specialists_answer_reaches_the_branch_room_at_once(
    client, requested, branch_clerk, hoken_clerk
):
    services.admit(requested, by=hoken_clerk)
    client.force_login(hoken_clerk)

    def answer():
        return client.post(
            reverse("remote:answer", args=[requested.pk]),
            {"fact": "new_dwelling", "person": "", "value": "false"},
        )

    async def scenario():
        branch = await room_socket(requested, branch_clerk)
        assert (await branch.connect())[0]
        await branch.receive_json_from()  # welcome
        response = await sync_to_async(answer)()
        assert response.status_code == 200
        assert 'data-fact="new_dwelling"' not in response.content.decode()
        assert (await branch.receive_json_from(timeout=3))["kind"] == "visit-changed"
        await branch.disconnect()

    in_own_thread(lambda: async_to_sync(scenario)())
    requested.visit.refresh_from_db()
    assert requested.visit.household_facts["new_dwelling"] is False
    assert requested.visit.answers.get(fact="new_dwelling").by == hoken_clerk
    # The branch's re-read of its #live region shows the answer too.
    client.force_login(branch_clerk)
    assert (
        'data-fact="new_dwelling"'
        not in client.get(reverse("remote:live", args=[requested.pk])).content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_hanging_up_closes_both_sockets(requested, branch_clerk, hoken_clerk):
    services.admit(requested, by=hoken_clerk)

    async def scenario():
        specialist = await room_socket(requested, hoken_clerk)
        assert (await specialist.connect())[0]
        await specialist.receive_json_from()
        await sync_to_async(services.end)(requested, by=branch_clerk)
        assert (await specialist.receive_json_from(timeout=3))["kind"] == "ended"
        assert (await specialist.receive_output(timeout=3))["type"] == "websocket.close"

    in_own_thread(lambda: async_to_sync(scenario)())


@pytest.mark.django_db(transaction=True)
def test_a_page_that_joins_or_says_alive_is_seen_and_its_call_not_stale(
    requested, branch_clerk, hoken_clerk
):
    from datetime import timedelta

    from django.utils import timezone

    from remote.models import Consultation

    services.admit(requested, by=hoken_clerk)
    long_ago = timezone.now() - timedelta(minutes=10)
    Consultation.objects.filter(pk=requested.pk).update(specialist_seen_at=long_ago)

    async def scenario():
        branch = await room_socket(requested, branch_clerk)
        assert (await branch.connect())[0]
        await branch.receive_json_from()  # welcome: the socket opened, the page is seen
        joined = await sync_to_async(Consultation.objects.get)(pk=requested.pk)
        assert joined.branch_seen_at > long_ago
        await sync_to_async(Consultation.objects.filter(pk=requested.pk).update)(
            branch_seen_at=long_ago
        )
        await branch.send_json_to({"kind": "alive"})
        await branch.send_json_to({"kind": "hello", "data": {"fresh": True}})
        await branch.receive_nothing(timeout=0.3)  # hello is for the other page only
        await branch.disconnect()

    in_own_thread(lambda: async_to_sync(scenario)())
    c = Consultation.objects.get(pk=requested.pk)
    assert c.branch_seen_at > long_ago and c.specialist_seen_at == long_ago
    assert services.end_stale() == []


@pytest.mark.django_db(transaction=True)
def test_a_party_reconnecting_after_the_end_hears_that_it_ended(
    requested, branch_clerk, hoken_clerk, clerk
):
    services.admit(requested, by=hoken_clerk)
    services.end(requested, by=hoken_clerk)

    async def scenario():
        branch = await room_socket(requested, branch_clerk)
        assert (await branch.connect())[0]
        assert await branch.receive_json_from() == {"kind": "ended"}
        outsider = await room_socket(requested, clerk)
        assert not (await outsider.connect())[0]  # nothing, not even that, for others

    in_own_thread(lambda: async_to_sync(scenario)())
