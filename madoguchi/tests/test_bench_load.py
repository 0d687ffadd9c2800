"""bench/load.py runs end to end against a real `serve` on PostgreSQL: terminals log in,
search, open their visit and answer, nothing fails, and it prints the JSON `make bench` reads.
(Its figures are the benchmark's business; this only checks that it measures something.)"""

import json
import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from madoguchi.tests.processes import ROOT

SUITE_URL = os.environ.get("DATABASE_URL", "")


@pytest.mark.skipif(
    not SUITE_URL.startswith("postgres"), reason="the load test measures PostgreSQL (CI runs this)"
)
def test_a_small_load_run_has_every_kind_no_error_and_no_connection_left():
    import psycopg

    name = f"madoguchi_bench_test_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(SUITE_URL)
    url = urlunsplit(parts._replace(path="/" + name))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    try:
        done = subprocess.run(
            [
                sys.executable,
                "bench/load.py",
                "--json",
                "--terminals", "6",
                "--duration", "4",
                "--warmup", "1",
                "--think", "0.1-0.3",
                "--residents", "400",
                "--workers", "1",
                "--baseline-workers", "0",
                "--threads", "2",
                "--database-url", url,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        result = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run = result["runs"]["main"]
    assert result["name"] == "load" and result["terminals"] == 6
    assert run["errors"] == 0, run["kinds"]
    assert all(run["kinds"][kind]["count"] > 0 for kind in ("search", "visit", "answer"))
    # threads, and one each for serve's loops (handoff, remote_due)
    assert 1 <= run["peak_db_connections"] <= 2 + 2
    assert run["db_connections_after_stop"] == 0
    assert run["cpu_ms_per_request"]["app"] > 0
