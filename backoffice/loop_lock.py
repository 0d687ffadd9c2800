"""One handoff runner at a time per database.

Two loops (a restarted `serve` beside an orphaned one, `serve` on two hosts, a cron job beside
`serve`) would each push the same tasks on SQLite, which has no row locks to skip, and double
the load on PostgreSQL. The lock lives as long as the process or its database session: a loop
that is killed releases it with its process.
- PostgreSQL: a session-level advisory lock in the database (so it covers every host).
- SQLite: an flock on a file under var/ named after the database file.
"""

import fcntl
import hashlib
import os

from django.conf import settings
from django.db import connections

# pg_try_advisory_lock(bigint): a fixed key, derived from a name so it reads as what it is.
LOCK_KEY = int.from_bytes(hashlib.sha256(b"madoguchi.handoff").digest()[:8], "big", signed=True)


class HandoffLock:
    def __init__(self, using: str = "default"):
        self.using = using
        self._file = None
        self._held = False

    @property
    def _conn(self):
        return connections[self.using]

    def path(self):
        name = str(self._conn.settings_dict["NAME"])
        return settings.VAR_DIR / f"handoff-{hashlib.sha1(name.encode()).hexdigest()[:12]}.lock"

    def acquire(self) -> bool:
        """Take the lock if nobody holds it; False at once otherwise."""
        if self._held:
            return True
        if self._conn.vendor == "postgresql":
            with self._conn.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
                self._held = bool(cursor.fetchone()[0])
            return self._held
        f = open(self.path(), "a+")  # held open as long as the lock is
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.close()
            return False
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        self._file, self._held = f, True
        return True

    def holder(self) -> str:
        """Who holds it, as far as can be told: the process id (SQLite) or the session (PostgreSQL)."""
        if self._conn.vendor == "postgresql":
            with self._conn.cursor() as cursor:
                cursor.execute(
                    "SELECT a.pid, coalesce(host(a.client_addr), 'local') FROM pg_locks l"
                    " JOIN pg_stat_activity a ON a.pid = l.pid"
                    " WHERE l.locktype = 'advisory' AND l.granted"
                    " AND l.classid = %s AND l.objid = %s AND l.objsubid = 1",
                    [(LOCK_KEY >> 32) & 0xFFFFFFFF, LOCK_KEY & 0xFFFFFFFF],
                )
                row = cursor.fetchone()
            return f"PostgreSQL の接続 {row[0]}（{row[1]}）" if row else "不明"
        try:
            return f"PID {self.path().read_text().strip() or '不明'}"
        except OSError:
            return "不明"

    def release(self) -> None:
        if not self._held:
            return
        if self._conn.vendor == "postgresql":
            # The connection may go back to a pool: a session lock would travel with it.
            with self._conn.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        elif self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        self._held = False
