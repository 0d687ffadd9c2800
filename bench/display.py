"""Latency of the call display: from a clerk's call to each connected display receiving it.

    .venv/bin/python bench/display.py --json                  # 50 displays, 200 calls, in-memory layer
    .venv/bin/python bench/display.py --redis --json          # the same through Redis (REDIS_URL or db 15)

A real server is started (`uvicorn madoguchi.asgi` on loopback, WebSockets by `websockets`)
against a scratch SQLite database, migrated and seeded here; the displays are WebSocket
clients of /ws/queue/display/honcho/. Each call is the staff screen's POST "次の方を呼ぶ",
made one after another; its latency to a display is from just before the POST is sent to the
moment that display has the message. The next call waits until every display has the previous
one (or --wait seconds passed: a display that misses a call counts as lost). Target: p95 ≤ 100 ms.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")

ISSUE = """
from accounts.models import Office
from queues import services
from queues.models import Counter
office = Office.objects.get(code="honcho")
for _ in range({calls}):
    services.issue_ticket(office=office, purpose_code="moving")
print(" ".join(str(c.pk) for c in Counter.objects.filter(office=office, department__code="shimin")))
"""


def pct(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


async def run(server, session, counters, displays, calls, wait_s):
    import websockets

    from queues.tests.test_two_processes import post_as

    received: dict[str, list[float]] = {}
    sockets = []
    done_events: dict[str, asyncio.Event] = {}

    async def listen(ws):
        async for raw in ws:
            m = json.loads(raw)
            if m.get("kind") != "called":
                continue
            now = time.perf_counter()
            got = received.setdefault(m["ticket"], [])
            got.append(now)
            if len(got) == displays and m["ticket"] in done_events:
                done_events[m["ticket"]].set()

    for _ in range(displays):
        ws = await websockets.connect(
            f"ws://127.0.0.1:{server.port}/ws/queue/display/honcho/",
            origin=server.url,
            open_timeout=10,
        )
        sockets.append((ws, asyncio.create_task(listen(ws))))
    await asyncio.sleep(0.3)

    latencies, posts = [], []
    for i in range(calls):
        path = f"/queue/staff/counters/{counters[i % len(counters)]}/next/"
        t0 = time.perf_counter()
        await asyncio.to_thread(post_as, server, path, session)
        posts.append((time.perf_counter() - t0) * 1000)
        # The label is known only from the messages: wait for the newest ticket all displays have.
        deadline = time.perf_counter() + wait_s
        while time.perf_counter() < deadline:
            fresh = [k for k, v in received.items() if k not in done_events]
            if fresh and all(len(received[k]) >= displays for k in fresh):
                break
            await asyncio.sleep(0.001)
        for k in [k for k in received if k not in done_events]:
            done_events[k] = asyncio.Event()
            latencies += [(t - t0) * 1000 for t in received[k]]
    for ws, task in sockets:
        task.cancel()
        await ws.close()
    return latencies, posts, calls * displays - len(latencies)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--displays", type=int, default=50)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument(
        "--wait", type=float, default=5.0, help="seconds a call may take to reach every display"
    )
    parser.add_argument(
        "--redis", action="store_true", help="channel layer through Redis (REDIS_URL or db 15)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    args.displays = max(1, min(args.displays, 500))  # bounded: one process holds the sockets
    args.calls = max(1, min(args.calls, 2000))

    from queues.tests.servers import ScratchDatabase, Server, redis_reason

    redis_url = (os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15") if args.redis else None
    if redis_url and (why := redis_reason(redis_url)):
        sys.exit(why)
    os.environ.pop("DATABASE_URL", None)  # the scratch database is SQLite, whatever the shell has
    with tempfile.TemporaryDirectory() as tmp:
        db = ScratchDatabase(Path(tmp))
        counters = db.run(ISSUE.format(calls=args.calls)).split()
        server = Server(db, redis_url=redis_url, prefix=f"madoguchi-bench-{uuid.uuid4().hex[:8]}")
        try:
            started = time.perf_counter()
            latencies, posts, lost = asyncio.run(
                run(server, db.sessions["shimin"], counters, args.displays, args.calls, args.wait)
            )
            elapsed = time.perf_counter() - started
        except Exception:
            server.stop()
            sys.stderr.write(
                server.proc.stderr.read().decode()[-3000:] if not server.proc.stderr.closed else ""
            )
            raise
        finally:
            server.stop()
    result = {
        "displays": args.displays,
        "calls": args.calls,
        "layer": "redis" if redis_url else "in-memory",
        "messages": len(latencies),
        "lost": lost,
        "median_ms": round(statistics.median(latencies), 2) if latencies else None,
        "p95_ms": round(pct(latencies, 95), 2) if latencies else None,
        "max_ms": round(max(latencies), 2) if latencies else None,
        "post_median_ms": round(statistics.median(posts), 2),
        "seconds": round(elapsed, 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:>15}: {v}")


if __name__ == "__main__":
    main()
