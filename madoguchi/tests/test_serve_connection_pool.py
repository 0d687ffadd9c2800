"""On PostgreSQL, `serve` holds at most workers × pool connections however many requests come
at once, answers them all, and gives every connection back when it stops."""

import os
import signal
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from madoguchi.tests.processes import Serve, wait_until
from queues.tests.servers import redis_reason

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
WORKERS, POOL = 2, 3


def _connections(db) -> int:
    import psycopg

    with psycopg.connect(db.suite_url, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [db.name]
        ).fetchone()[0]


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="connection pools are PostgreSQL's (CI runs this on PostgreSQL)",
)
@pytest.mark.skipif(bool(redis_reason(REDIS_URL)), reason=redis_reason(REDIS_URL) or "")
def test_sixty_requests_at_once_use_at_most_the_pool_and_none_is_left_after_a_stop(serve_db):
    serve = Serve(
        serve_db.env(REDIS_URL=REDIS_URL, MADOGUCHI_CHANNEL_PREFIX="madoguchi-test-pool"),
        "--workers",
        str(WORKERS),
        "--threads",
        str(POOL),
    )
    peak, sampling = [0], threading.Event()

    def sample():
        while not sampling.is_set():
            peak[0] = max(peak[0], _connections(serve_db))
            sampling.wait(0.05)

    def search(i):
        request = urllib.request.Request(
            f"{serve.url}/?q=" + urllib.parse.quote(f"タカハシ{i}"),
            headers={"Cookie": f"sessionid={serve_db.sessions['shimin']}"},
        )
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, r.read().decode()

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with ThreadPoolExecutor(60) as pool:
            answers = list(pool.map(search, range(60)))
        sampling.set()
        sampler.join()
        assert [status for status, _body in answers] == [200] * 60
        assert all("住民検索" in body for _status, body in answers)
        # Each worker's pool, and one connection for each loop (handoff, remote_due).
        assert 1 <= peak[0] <= WORKERS * POOL + 2, peak[0]
        serve.signal(signal.SIGTERM)
        assert serve.wait(timeout=60) == 0
        assert wait_until(lambda: _connections(serve_db) == 0, timeout=10)
    finally:
        sampling.set()
        serve.kill()
