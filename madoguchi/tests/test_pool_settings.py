"""The PostgreSQL pool follows the thread count, 0 hands pooling to PgBouncer, and SQLite has
none. Read from the settings module as a fresh process sees them (no database needed)."""

import json
import os
import subprocess
import sys

from madoguchi.tests.processes import ROOT

SHOW = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({"pool": db.get("OPTIONS", {}).get("pool"), "age": db.get("CONN_MAX_AGE"),
                  "no_cursors": db.get("DISABLE_SERVER_SIDE_CURSORS"),
                  "threads": settings.MADOGUCHI_THREADS}))
"""


def _settings(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MADOGUCHI_DB_POOL")}
    clean.pop("MADOGUCHI_THREADS", None)
    clean.update(env, DJANGO_SETTINGS_MODULE="madoguchi.settings")
    out = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


PG = "postgres://postgres@127.0.0.1:5432/madoguchi_never_opened"


def test_the_pool_is_as_large_as_the_threads_and_keeps_no_connection_per_thread():
    s = _settings(DATABASE_URL=PG, MADOGUCHI_THREADS="5")
    assert s["threads"] == 5 and s["age"] == 0
    assert s["pool"] == {"min_size": 1, "max_size": 5, "timeout": 5, "max_idle": 60}


def test_pool_size_zero_leaves_pooling_to_pgbouncer():
    s = _settings(DATABASE_URL=PG, MADOGUCHI_DB_POOL_SIZE="0")
    assert s["pool"] is None and s["age"] == 0 and s["no_cursors"] is True


def test_sqlite_has_no_pool():
    s = _settings(DATABASE_URL="sqlite:////tmp/madoguchi-never-opened.sqlite3")
    assert s["pool"] is None and s["threads"] == 8
