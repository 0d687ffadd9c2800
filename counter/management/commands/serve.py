"""`madoguchi serve`: the web server and the background loops, as children of this process.

This process only supervises: it migrates, checks the database connection budget, binds the
port, starts uvicorn (N worker processes) and the loops (`madoguchi handoff --loop` and
`madoguchi remote_due --loop`, madoguchi.loops), and on SIGTERM, SIGINT or SIGHUP stops them
all before it exits itself. The children run in sessions of their own, so a terminal's Ctrl+C
reaches this process only and a loop is stopped between two rounds, not in the middle of a push.
A SIGKILL cannot be caught: the loops then notice that their parent is gone and end
(`--parent-pid`); under systemd, KillMode=control-group also ends the web server.
"""

import os
import signal
import socket
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command
from django.db import connections

from madoguchi import dbpool

HANDOFF_EVERY = 60  # seconds; failed handoffs back off for minutes (backoffice.services.backoff)
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
GRACE = 20  # seconds uvicorn gives requests in flight once asked to stop
# A loop finishes the push it is in before it exits: backoffice.services.PUSH_TIMEOUT (10 s).
LOOP_GRACE = 15


def _stop(proc: subprocess.Popen, timeout: float) -> None:
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Loop:
    """`madoguchi COMMAND --loop EVERY` beside the web server, with the same Python and settings
    (a madoguchi.loops.LoopCommand: `handoff`, `remote_due`).

    Restarted if it exits on its own (it could not start: a failed round is the loop's to
    survive), stopped by `stop`.
    """

    def __init__(self, command: str, every: int, env: dict | None = None):
        self.command = command
        self.args = [
            sys.executable,
            "-m",
            "madoguchi",
            command,
            "--loop",
            str(every),
            "--parent-pid",
            str(os.getpid()),
        ]
        self.every = every
        self.env = env if env is not None else dict(os.environ)
        self.stopping = threading.Event()
        self.child: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _spawn(self) -> subprocess.Popen:
        return subprocess.Popen(
            self.args, cwd=settings.BASE_DIR, env=self.env, start_new_session=True
        )

    def start(self) -> "Loop":
        self.child = self._spawn()
        threading.Thread(target=self._watch, name=f"{self.command}-loop", daemon=True).start()
        return self

    def _watch(self):
        while not self.stopping.is_set():
            self.child.wait()
            if self.stopping.wait(self.every):
                return
            with self._lock:
                if not self.stopping.is_set():
                    self.child = self._spawn()

    def stop(self) -> None:
        with self._lock:
            self.stopping.set()
            child = self.child
        if child is not None:
            _stop(child, timeout=LOOP_GRACE)


def _child_env(**extra) -> dict:
    env = dict(os.environ)
    if settings.SETTINGS_MODULE:  # `serve --settings=…` reaches the children too
        env["DJANGO_SETTINGS_MODULE"] = settings.SETTINGS_MODULE
    env.update(extra)
    return env


class Command(BaseCommand):
    help = (
        "Madoguchi を起動します（uvicorn、静的ファイルは本体から配信、連携の再試行と"
        "リモート窓口の定期処理も実行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("MADOGUCHI_WORKERS", 1)),
            help="Web サーバーのプロセス数（既定 1、環境変数 MADOGUCHI_WORKERS）。"
            "2 以上では REDIS_URL が必要です（表示盤の呼出をプロセス間で共有するため）",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="プロセスごとに同時に処理するリクエスト数。PostgreSQL では同じ数の接続を"
            "プールします（既定は環境変数 MADOGUCHI_THREADS、なければ 8）",
        )
        parser.add_argument(
            "--no-handoff",
            action="store_true",
            help="連携（振り分け・基幹系への送信）の定期実行を起動しない（cron などで別に実行する場合）",
        )
        parser.add_argument(
            "--no-remote-due",
            action="store_true",
            help="リモート窓口の定期実行（予約相談の依頼・閉じられた通話の終了）を起動しない"
            "（cron などで別に実行する場合。環境変数 MADOGUCHI_REMOTE_DUE_EVERY=0 でも同じ）",
        )

    def handle(
        self,
        *args,
        host,
        port,
        workers,
        threads=None,
        no_handoff=False,
        no_remote_due=False,
        **options,
    ):
        if workers < 1:
            raise CommandError("--workers は 1 以上にしてください。")
        if workers > 1 and not settings.REDIS_URL:
            raise CommandError(
                "--workers 2 以上には REDIS_URL が必要です：表示盤への呼出は Redis を通して"
                "プロセス間で共有されます（docs/queue.md）。"
            )
        if threads is None:
            threads = settings.MADOGUCHI_THREADS
        if threads < 1:
            raise CommandError("--threads は 1 以上にしてください。")
        # (command, seconds, what the log line calls it): one runner of each per database.
        plan = [
            *([] if no_handoff else [("handoff", HANDOFF_EVERY, "連携の定期実行")]),
            *(
                []
                if no_remote_due or settings.REMOTE_DUE_EVERY <= 0
                else [("remote_due", settings.REMOTE_DUE_EVERY, "リモート窓口の定期実行")]
            ),
        ]
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        # A request holds at most one connection: the pool is as large as the thread count,
        # unless pooling is left to PgBouncer (MADOGUCHI_DB_POOL_SIZE=0, README).
        pool = 0 if os.environ.get("MADOGUCHI_DB_POOL_SIZE") == "0" else threads
        try:
            warning = dbpool.check_budget(workers, pool, loops=len(plan))
        except dbpool.BudgetExceeded as e:
            raise CommandError(str(e)) from e
        if warning:
            self.stderr.write(warning)
        # This process serves nothing: it holds no connection while the children run.
        dbpool.close_pools()
        connections.close_all()

        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as e:
            sock.close()
            raise CommandError(
                f"{host}:{port} で待ち受けられません（{e.strerror}）。"
                "別のポートを --port で指定してください。"
            ) from e
        sock.listen(2048)
        port = sock.getsockname()[1]  # the one the system chose for --port 0
        sock.set_inheritable(True)
        env = _child_env(MADOGUCHI_THREADS=str(threads), MADOGUCHI_DB_POOL_SIZE=str(pool))
        web_args = [
            sys.executable,
            "-m",
            "uvicorn",
            settings.ASGI_APPLICATION.replace(".application", ":application"),
            "--fd",
            str(sock.fileno()),
            "--workers",
            str(workers),
            "--lifespan",
            "on",
            "--timeout-graceful-shutdown",
            str(GRACE),
            "--log-level",
            "warning",
        ]

        stopping = threading.Event()
        received: list[int] = []

        def on_signal(signum, frame):
            received.append(signum)
            stopping.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
        web = None
        loops: list[Loop] = []
        try:
            web = subprocess.Popen(
                web_args,
                cwd=settings.BASE_DIR,
                env=env,
                pass_fds=[sock.fileno()],
                start_new_session=True,
            )
            sock.close()
            # Pushes to core systems and failed handoffs only move when `handoff` runs: without
            # its loop a 完了 would never reach the 国保システム; without `remote_due`'s a booked
            # リモート相談 would never reach the department's lobby.
            # One thread, one connection: each loop's pool is of one.
            loop_env = {**env, "MADOGUCHI_DB_POOL_SIZE": str(min(pool, 1))}
            for command, every, _what in plan:
                loops.append(Loop(command, every, env=loop_env).start())
            self.stdout.write(
                f"http://{host}:{port}/ で待ち受けます（ワーカー {workers}、"
                f"スレッド {threads}、PID {os.getpid()}。Ctrl+C で終了）。"
            )
            for loop, (_command, every, what) in zip(loops, plan, strict=True):
                self.stdout.write(
                    f"{what}（{every} 秒ごと）を起動しました（PID {loop.child.pid}）。"
                )
            while not stopping.wait(0.5):
                if web.poll() is not None:
                    break
        finally:
            sock.close()
            # Every child is asked at once; each gets its own grace period.
            stoppers = [
                *([threading.Thread(target=_stop, args=(web, GRACE + 5))] if web else []),
                *(threading.Thread(target=loop.stop) for loop in loops),
            ]
            for t in stoppers:
                t.start()
            for t in stoppers:
                t.join()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if not received and web is not None and web.returncode:
            raise CommandError(f"Web サーバーが終了しました（終了コード {web.returncode}）。")
        if received:
            self.stdout.write(f"{signal.Signals(received[0]).name} を受けて終了しました。")
