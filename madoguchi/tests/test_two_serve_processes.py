"""Hosting: two `madoguchi serve` processes against one PostgreSQL and one Redis, as a SaaS
runs several app servers behind a load balancer (docs/operations.md, 複数の団体・複数のサーバー).

A change made through one process is read through the other, and a channel event (a ticket
called) made on one reaches a display connected to the other — for the default tenant and
for a second municipality reached by its /t/<code>/ path, each display hearing only its own.
"""

import asyncio
import json
import os
import urllib.request
import uuid

import pytest

from madoguchi.tests.processes import Serve
from queues.tests.servers import redis_reason
from queues.tests.test_two_processes import post_as, run_in_own_loop

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
OTHER = "kaku"  # the tenant PREPARE makes

PREPARE = """
import json
from django.core.management import call_command
from django.test import Client
from django.contrib.auth.models import User
from accounts.models import Office
from catalog.pack import default_pack
from demo.staff import ensure_demo_staff
from queues import services
from queues.models import Counter
from tenants import scope
from tenants.models import Tenant

def prepare(purpose):
    office = Office.objects.get(code="honcho")
    services.close_day(office=office, reason="test")
    t = services.issue_ticket(office=office, purpose_code=purpose)
    return {"label": t.label, "token": t.token,
            "counter": Counter.objects.get(office=office, number=1).pk}

out = {"default": prepare("moving")}
Tenant.objects.get_or_create(code="kaku", defaults={"number": 1, "name": "架空町"})
with scope.use("kaku"):
    ensure_demo_staff({c: d.name for c, d in default_pack().departments.items()})
    call_command("queue_counters", verbosity=0)
    out["kaku"] = prepare("other")
    c = Client()
    c.force_login(User.objects.get(username="kaku-shimin"))
    out["kaku"]["session"] = c.cookies["sessionid"].value
print(json.dumps(out))
"""


def _json(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="several servers share PostgreSQL, not a SQLite file (CI runs this on PostgreSQL)",
)
@pytest.mark.skipif(bool(redis_reason(REDIS_URL)), reason=redis_reason(REDIS_URL) or "")
def test_two_serve_processes_share_the_database_and_the_channel_events(serve_db):
    import websockets

    world = json.loads(serve_db.run(PREPARE).strip().splitlines()[-1])
    mine, theirs = world["default"], world[OTHER]
    env = serve_db.env(
        REDIS_URL=REDIS_URL, MADOGUCHI_CHANNEL_PREFIX=f"madoguchi-test-{uuid.uuid4().hex[:8]}"
    )
    a = Serve(env, "--workers", "1", "--threads", "2")
    b = Serve(env, "--workers", "1", "--threads", "2", "--no-handoff")
    try:
        # Read through B before and after a change made through A.
        mine_status = f"{b.url}/queue/t/{mine['token']}/status.json"
        theirs_status = f"{b.url}/t/{OTHER}/queue/t/{theirs['token']}/status.json"
        assert _json(mine_status)["state"] == "waiting"
        assert _json(theirs_status)["state"] == "waiting"

        async def scenario():
            port = b.url.rsplit(":", 1)[1]
            async with (
                websockets.connect(
                    f"ws://127.0.0.1:{port}/ws/queue/display/honcho/", origin=b.url, open_timeout=5
                ) as mine_display,
                websockets.connect(
                    f"ws://127.0.0.1:{port}/t/{OTHER}/ws/queue/display/honcho/",
                    origin=b.url,
                    open_timeout=5,
                ) as theirs_display,
            ):
                await asyncio.sleep(0.3)  # both group_adds have reached Redis
                # The other city's clerk calls on A: its display on B hears it...
                response = await asyncio.to_thread(
                    post_as,
                    a,
                    f"/queue/staff/counters/{theirs['counter']}/next/",
                    theirs["session"],
                )
                assert response.status == 302
                heard = json.loads(await asyncio.wait_for(theirs_display.recv(), timeout=5))
                assert (heard["kind"], heard["ticket"]) == ("called", theirs["label"])
                # ...then ours: our display's first message is our call, not theirs.
                response = await asyncio.to_thread(
                    post_as,
                    a,
                    f"/queue/staff/counters/{mine['counter']}/next/",
                    serve_db.sessions["shimin"],
                )
                assert response.status == 302
                heard = json.loads(await asyncio.wait_for(mine_display.recv(), timeout=5))
                assert (heard["kind"], heard["ticket"]) == ("called", mine["label"])

        run_in_own_loop(scenario)
        assert _json(mine_status)["state"] == "called"
        assert _json(theirs_status)["state"] == "called"
    finally:
        a.kill()
        b.kill()
