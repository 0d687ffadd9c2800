import os
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management import BaseCommand, call_command

HANDOFF_EVERY = 60  # seconds; failed handoffs back off for minutes (backoffice.services.backoff)


class HandoffLoop:
    """`madoguchi handoff --loop 60` beside the web server, with the same Python and settings.

    Restarted if it exits on its own (a database error in one round), stopped when `serve`
    exits (Ctrl+C, SIGTERM; systemd's KillMode=control-group also covers a SIGKILL). Its own
    session, so that Ctrl+C reaches `serve` only and the loop is ended by `stop`, not mid-push.
    """

    def __init__(self, every: int = HANDOFF_EVERY):
        self.args = [sys.executable, "-m", "madoguchi", "handoff", "--loop", str(every)]
        self.every = every
        self.stopping = threading.Event()
        self.child: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _spawn(self) -> subprocess.Popen:
        env = dict(os.environ)
        if settings.SETTINGS_MODULE:  # `serve --settings=…` reaches the loop too
            env["DJANGO_SETTINGS_MODULE"] = settings.SETTINGS_MODULE
        return subprocess.Popen(self.args, cwd=settings.BASE_DIR, env=env, start_new_session=True)

    def start(self) -> "HandoffLoop":
        self.child = self._spawn()
        threading.Thread(target=self._watch, name="handoff-loop", daemon=True).start()
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
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


class Command(BaseCommand):
    help = "Madoguchi を起動します（uvicorn、静的ファイルは本体から配信、連携の再試行も実行）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument(
            "--no-handoff",
            action="store_true",
            help="連携（振り分け・基幹系への送信）の定期実行を起動しない（cron などで別に実行する場合）",
        )

    def handle(self, *args, host, port, workers, no_handoff=False, **options):
        import uvicorn

        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        # Parse the fonts and the catalog now, so the first clerk to print does not wait.
        from catalog.pack import default_pack
        from printing.fonts import get_fontset

        default_pack()
        get_fontset()
        # Pushes to core systems and failed handoffs only move when `handoff` runs: without
        # this loop a 完了 would never reach the 国保システム.
        loop = None if no_handoff else HandoffLoop().start()
        self.stdout.write(f"http://{host}:{port}/ で待ち受けます（Ctrl+C で終了）。")
        if loop is not None:
            self.stdout.write(
                f"連携の定期実行（{HANDOFF_EVERY} 秒ごと）を起動しました（PID {loop.child.pid}）。"
            )
        try:
            uvicorn.run(
                settings.ASGI_APPLICATION.replace(".application", ":application"),
                host=host,
                port=port,
                workers=workers,
                log_level="warning",
            )
        finally:
            if loop is not None:
                loop.stop()
