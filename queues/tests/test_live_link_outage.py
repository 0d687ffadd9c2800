"""The live screens across an outage of Redis (the channel layer) or of the server itself.

A real uvicorn process (queues.tests.servers.Server) on a redis-server of this test alone
(PrivateRedis, on a Unix socket; the machine's shared Redis is never touched), with a beat
of a second so that the outage is seen at once. Redis away: the process keeps running and
serving pages, calls are still made and kept, open screens are told (their socket closes,
new ones are refused); Redis back: screens reconnect and hear calls again.
"""

import asyncio
import json
import time
import urllib.request
import uuid

import pytest

from queues.tests.servers import PrivateRedis, Server
from queues.tests.test_two_processes import post_as, run_in_own_loop

PREPARE = """
from accounts.models import Office
from queues import services
from queues.models import Counter
office = Office.objects.get(code="honcho")
services.close_day(office=office, reason="test")
tickets = [services.issue_ticket(office=office, purpose_code="moving") for _ in range(2)]
print(" ".join(t.label for t in tickets), Counter.objects.get(office=office, number=1).pk)
"""
BEAT = "1"


@pytest.fixture
def redis_server(tmp_path):
    redis = PrivateRedis(tmp_path)
    yield redis
    redis.stop()


@pytest.fixture
def live_server_on_redis(scratch_db, redis_server):
    server = Server(
        scratch_db,
        redis_url=redis_server.url,
        prefix=f"outage-{uuid.uuid4().hex[:8]}",
        env={"MADOGUCHI_LIVE_BEAT": BEAT},
    )
    yield server
    server.stop()


def _get(server, path) -> int:
    with urllib.request.urlopen(server.url + path, timeout=10) as r:
        return r.status


async def _connect(server, path, timeout=5):
    import websockets

    return await websockets.connect(
        f"ws://127.0.0.1:{server.port}{path}", origin=server.url, open_timeout=timeout
    )


async def _next_call(ws, timeout=5) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        m = json.loads(await asyncio.wait_for(ws.recv(), deadline - time.monotonic()))
        if m.get("kind") != "beat":
            return m


def test_the_server_outlives_redis_going_away_and_screens_hear_calls_when_it_is_back(
    scratch_db, redis_server, live_server_on_redis
):
    import websockets

    server = live_server_on_redis
    labels_and_counter = scratch_db.run(PREPARE).split()
    first, second, counter_pk = labels_and_counter
    call_next = f"/queue/staff/counters/{counter_pk}/next/"
    clerk = scratch_db.sessions["shimin"]

    async def scenario():
        display = await _connect(server, "/ws/queue/display/honcho/")
        assert json.loads(await asyncio.wait_for(display.recv(), 5)) == {"kind": "beat"}

        redis_server.stop()
        # The open screen is told within a beat or two: its socket is closed by the server.
        with pytest.raises(websockets.ConnectionClosed):
            while True:
                await asyncio.wait_for(display.recv(), 5)
        # A screen connecting now is refused (and retries), the process itself runs on.
        with pytest.raises(websockets.InvalidStatus):
            await _connect(server, "/ws/queue/display/honcho/")
        assert server.proc.poll() is None
        assert await asyncio.to_thread(_get, server, "/queue/display/honcho/") == 200
        # A call made meanwhile is made: the broadcast fails after the commit, not the call.
        response = await asyncio.to_thread(post_as, server, call_next, clerk)
        assert response.status == 302

        redis_server.start()
        deadline = time.monotonic() + 15
        while True:
            try:
                display = await _connect(server, "/ws/queue/display/honcho/")
                break
            except (OSError, websockets.InvalidStatus):
                assert time.monotonic() < deadline, "no live screen 15 s after Redis came back"
                await asyncio.sleep(0.5)
        response = await asyncio.to_thread(post_as, server, call_next, clerk)
        assert response.status == 302
        message = await _next_call(display)
        assert (message["kind"], message["ticket"]) == ("called", second)
        await display.close()

    run_in_own_loop(scenario)
    assert server.proc.poll() is None
    assert first != second
