"""Two application processes behind one Redis: a call made on one reaches a display that is
connected to the other (the production setup with several uvicorn workers or hosts)."""

import asyncio
import json
import os
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from queues.tests.servers import Server, redis_reason

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"

PREPARE = """
from accounts.models import Office
from queues import services
from queues.models import Counter
office = Office.objects.get(code="honcho")
services.close_day(office=office, reason="test")
t = services.issue_ticket(office=office, purpose_code="moving")
print(t.label, Counter.objects.get(office=office, number=1).pk)
"""


def run_in_own_loop(coroutine_fn):
    """asyncio.run in a thread: Playwright's sync API may hold this thread's event loop."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine_fn()).result()


def post_as(server, path, session):
    csrf = uuid.uuid4().hex  # any 32-character secret: the cookie and the header must agree
    req = urllib.request.Request(
        server.url + path,
        data=b"",
        method="POST",
        headers={"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf},
    )
    opener = urllib.request.build_opener(NoRedirect)
    return opener.open(req, timeout=10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


@pytest.mark.skipif(bool(redis_reason(REDIS_URL)), reason=redis_reason(REDIS_URL) or "")
def test_a_call_on_one_process_reaches_a_display_on_the_other(scratch_db):
    import websockets

    label, counter_pk = scratch_db.run(PREPARE).split()
    prefix = f"madoguchi-test-{uuid.uuid4().hex[:8]}"  # apart from any other run on this Redis
    a = Server(scratch_db, redis_url=REDIS_URL, prefix=prefix)
    b = Server(scratch_db, redis_url=REDIS_URL, prefix=prefix)
    try:

        async def scenario():
            origin = b.url
            async with websockets.connect(
                f"ws://127.0.0.1:{b.port}/ws/queue/display/honcho/", origin=origin, open_timeout=5
            ) as display:
                await asyncio.sleep(0.2)  # the group_add has reached Redis
                response = await asyncio.to_thread(
                    post_as,
                    a,
                    f"/queue/staff/counters/{counter_pk}/next/",
                    scratch_db.sessions["shimin"],
                )
                assert response.status == 302
                message = json.loads(await asyncio.wait_for(display.recv(), timeout=5))
                assert (message["kind"], message["ticket"], message["counter"]) == (
                    "called",
                    label,
                    1,
                )

        run_in_own_loop(scenario)
    finally:
        a.stop()
        b.stop()
