"""Background work done in rounds: `madoguchi handoff` and `madoguchi remote_due`.

Each is a LoopCommand: once (cron it every minute), or `--loop SECONDS`, which is how
`madoguchi serve` runs both beside the web server (counter/management/commands/serve.py,
`--parent-pid` so that a loop outlives no `serve`, even one killed with SIGKILL). A loop stops
on SIGTERM, SIGINT or SIGHUP between two rounds, or inside a round where the round looks
(`self.stopping`). An error in one round is logged and the loop goes on with the next.

One runner of each kind at a time per database (RunnerLock): two loops (a restarted `serve`
beside an orphaned one, `serve` on two hosts, a cron job beside `serve`) would each push the
same tasks or request the same booked consultation on SQLite, which has no row locks to skip,
and double the load on PostgreSQL. The lock lives as long as the process or its database
session: a loop that is killed releases it with its process.
- PostgreSQL: a session-level advisory lock in the database (so it covers every host).
- SQLite: an flock on a file under var/ named after the database file.
"""

import fcntl
import hashlib
import logging
import os
import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class RunnerLock:
    """One holder per database of the lock named `name` ("handoff", "remote_due")."""

    def __init__(self, name: str, using: str = "default"):
        self.name = name
        self.using = using
        # pg_try_advisory_lock(bigint): a fixed key, derived from a name so it reads as what it is.
        digest = hashlib.sha256(f"madoguchi.{name}".encode()).digest()
        self.key = int.from_bytes(digest[:8], "big", signed=True)
        self._file = None
        self._held = False

    @property
    def _conn(self):
        return connections[self.using]

    def path(self):
        name = str(self._conn.settings_dict["NAME"])
        return settings.VAR_DIR / f"{self.name}-{hashlib.sha1(name.encode()).hexdigest()[:12]}.lock"

    def acquire(self) -> bool:
        """Take the lock if nobody holds it; False at once otherwise."""
        if self._held:
            return True
        if self._conn.vendor == "postgresql":
            with self._conn.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.key])
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
                    [(self.key >> 32) & 0xFFFFFFFF, self.key & 0xFFFFFFFF],
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
                cursor.execute("SELECT pg_advisory_unlock(%s)", [self.key])
        elif self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        self._held = False

    def drop(self) -> None:
        """After a failed round: let go of the lock, and of a connection that no longer answers
        (its session lost the advisory lock with it), so the next round connects again. The
        next round takes the lock again, or waits if another runner took it meanwhile."""
        try:
            self.release()
        except DatabaseError:
            pass
        finally:
            if self._file is not None:
                self._file.close()
                self._file = None
            self._held = False
            if self._conn.connection is not None and not self._conn.is_usable():
                self._conn.close()


class LoopCommand(BaseCommand):
    """A management command whose work is `run_once`, once or every `--loop` seconds, by one
    runner per database (`lock_name`). `running` and `loop_name` name it in its messages."""

    lock_name: str
    running: str  # 「連携の実行」: what is already running elsewhere
    loop_name: str  # 「連携の定期実行」: what is taken over or ended

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=int,
            default=0,
            metavar="SECONDS",
            help="この秒数ごとに繰り返す（0 は 1 回だけ）",
        )
        parser.add_argument(
            "--parent-pid",
            type=int,
            default=None,
            metavar="PID",
            help="このプロセス（起動した madoguchi serve）が終了したら、定期実行も終了する",
        )

    def run_once(self):
        raise NotImplementedError

    def handle(self, *args, loop=0, parent_pid=None, **options):
        self.options = options
        self.stopping = threading.Event()
        self.parent = parent_pid
        lock = RunnerLock(self.lock_name)
        if not loop:
            # Once (cron): a failure is the command's, with its exit code.
            if not lock.acquire():
                raise CommandError(self._already(lock) + _("このたびは実行しません。"))
            try:
                self.run_once()
            finally:
                lock.release()
            return
        # Stopped between two rounds, never in the middle of a push.
        previous = {
            sig: signal.signal(sig, lambda signum, frame: self.stopping.set())
            for sig in STOP_SIGNALS
        }
        waited = False
        try:
            while True:
                try:
                    if not lock.acquire():
                        self.stderr.write(self._already(lock) + _("それが終わるまで待ちます。"))
                        waited = True
                        while not lock.acquire():
                            if self.should_stop(min(loop, 5)):
                                return
                    if waited:
                        self.stderr.write(
                            _("%(loop)sを引き継ぎました。") % {"loop": self.loop_name}
                        )
                        waited = False
                    self.run_once()
                except Exception:
                    # A database gone for a moment, a bug in one row: the next round tries again.
                    log.exception(
                        _("%(loop)sの 1 回分が失敗しました。%(seconds)s 秒後に続けます。")
                        % {"loop": self.loop_name, "seconds": loop}
                    )
                    lock.drop()
                if self.should_stop(loop):
                    return
        finally:
            try:
                lock.release()
            except DatabaseError:
                pass  # the session is gone, and its lock with it
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _already(self, lock: RunnerLock) -> str:
        return _("%(running)sは既に別のプロセスで動いています（%(who)s）。") % {
            "running": self.running,
            "who": lock.holder(),
        }

    def should_stop(self, seconds: float) -> bool:
        """Wait up to `seconds`; True as soon as a signal came or the parent has gone."""
        deadline = time.monotonic() + seconds
        while True:
            if self.stopping.is_set():
                return True
            if self.parent is not None and os.getppid() != self.parent:
                self.stderr.write(
                    _("起動したプロセスが終了したため、%(loop)sを終了します。")
                    % {"loop": self.loop_name}
                )
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self.stopping.wait(min(1.0, remaining))
