"""Real application processes for the tests that need WebSockets end to end.

pytest-django's live_server speaks WSGI only. These tests run `uvicorn madoguchi.asgi` in
subprocesses against a scratch database of the suite's engine (a SQLite file, or a PostgreSQL
database created and dropped here), migrated and seeded once per session.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]

SEED = """
import json, django
django.setup()
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # nobody logs in by password
from demo.staff import ensure_demo_staff
from catalog.pack import default_pack
from django.core.management import call_command
ensure_demo_staff({c: d.name for c, d in default_pack().departments.items()})
call_command("queue_counters", verbosity=0)
from django.contrib.auth.models import User
from django.test import Client
out = {}
for name in ("shimin", "kanri"):
    c = Client()
    c.force_login(User.objects.get(username=name))
    out[name] = c.cookies["sessionid"].value
print(json.dumps(out))
"""


def redis_reason(url: str) -> str | None:
    """None when Redis answers at `url`, else why not."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as e:
        return f"Redis not reachable at {url}: {e}"
    return None


class ScratchDatabase:
    """A database of the suite's engine for server subprocesses; `url` goes into DATABASE_URL."""

    def __init__(self, tmp_dir: Path):
        self.suite_url = os.environ.get("DATABASE_URL", "")
        self.pg = self.suite_url.startswith(("postgres://", "postgresql://"))
        if self.pg:
            # MADOGUCHI_SCRATCH_DB: a name given to this run (a shared server's own database).
            self.name = (
                os.environ.get("MADOGUCHI_SCRATCH_DB") or f"madoguchi_live_{uuid.uuid4().hex[:10]}"
            )
            parts = urlsplit(self.suite_url)
            self.url = urlunsplit(parts._replace(path="/" + self.name))
            self._admin(f'CREATE DATABASE "{self.name}"')
        else:
            self.url = f"sqlite:///{tmp_dir / 'live.sqlite3'}"
        env = self.env()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        seeded = subprocess.run(
            [sys.executable, "-c", SEED],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        self.sessions = json.loads(seeded.stdout.strip().splitlines()[-1])

    def _admin(self, sql: str):
        import psycopg

        parts = urlsplit(self.suite_url)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
            conn.execute(sql)

    def env(self, **extra) -> dict:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
        }
        env.update(
            DATABASE_URL=self.url, DJANGO_SETTINGS_MODULE="madoguchi.settings", PYTHONPATH=str(ROOT)
        )
        env.update({k: v for k, v in extra.items() if v is not None})
        return env

    def run(self, code: str) -> str:
        """Run Python against the scratch database (after django.setup()); returns stdout."""
        done = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + code],
            cwd=ROOT,
            env=self.env(),
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    def drop(self):
        if self.pg:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Server:
    """One `uvicorn madoguchi.asgi:application` process on a loopback port."""

    def __init__(
        self,
        db: ScratchDatabase,
        *,
        redis_url: str | None = None,
        prefix: str | None = None,
        port: int | None = None,
        env: dict | None = None,
    ):
        # The listening socket is made here and handed over (--fd): no other process can take
        # the port between choosing it and uvicorn binding it.
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port or 0))
        sock.listen(128)
        sock.set_inheritable(True)
        self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        # The server's log goes to a file: a pipe nobody reads would block it once full.
        self.log = tempfile.TemporaryFile()
        env = db.env(REDIS_URL=redis_url, MADOGUCHI_CHANNEL_PREFIX=prefix, **(env or {}))
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "madoguchi.asgi:application",
                "--fd",
                str(sock.fileno()),
                "--ws",
                "websockets",
                "--lifespan",
                "off",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            pass_fds=[sock.fileno()],
        )
        sock.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited: {self.log_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.url + "/queue/chime.wav", timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("uvicorn did not answer within 20 s")

    def log_text(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class PrivateRedis:
    """A redis-server of this test alone, on a Unix socket in a scratch folder, that the test
    may stop and start again (never the machine's shared Redis)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.socket = folder / "redis.sock"
        self.url = f"unix://{self.socket}"
        self.proc = None
        self.start()

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", "0", "--unixsocket", str(self.socket),
             "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while redis_reason(self.url):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()  # as a crash or a pulled cable would: no goodbye to the clients
            self.proc.wait()
