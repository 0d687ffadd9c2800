"""`madoguchi handoff`: run the handoffs that are due (failed ones after their backoff), and
make the tasks of accepted visits whose after-commit handoff never ran. Cron it every minute,
or `--loop` it (`madoguchi serve` does). One runner at a time per database (loop_lock)."""

import os
import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from backoffice import services
from backoffice.loop_lock import HandoffLock
from backoffice.models import Handoff
from tenants import scope

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Command(BaseCommand):
    help = "期限の来た連携（担当課への振り分け・基幹系への送信）を実行・再試行します。"

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

    def handle(self, *args, loop=0, parent_pid=None, **options):
        self.stopping = threading.Event()
        self.parent = parent_pid
        if loop:
            # Stopped between two handoffs, never in the middle of a push.
            for sig in STOP_SIGNALS:
                signal.signal(sig, lambda signum, frame: self.stopping.set())
        lock = HandoffLock()
        if not lock.acquire():
            message = _("連携の実行は既に別のプロセスで動いています（%(who)s）。") % {
                "who": lock.holder()
            }
            if not loop:
                raise CommandError(message + _("このたびは実行しません。"))
            self.stderr.write(message + _("それが終わるまで待ちます。"))
            while not lock.acquire():
                if self.should_stop(min(loop, 5)):
                    return
            self.stderr.write(_("連携の定期実行を引き継ぎました。"))
        try:
            while True:
                self.run_once()
                if not loop or self.should_stop(loop):
                    return
        finally:
            lock.release()

    def should_stop(self, seconds: float) -> bool:
        """Wait up to `seconds`; True as soon as a signal came or the parent has gone."""
        deadline = time.monotonic() + seconds
        while True:
            if self.stopping.is_set():
                return True
            if self.parent is not None and os.getppid() != self.parent:
                self.stderr.write(_("起動したプロセスが終了したため、連携の定期実行を終了します。"))
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self.stopping.wait(min(1.0, remaining))

    def run_once(self):
        # One loop for the whole deployment: each municipality's handoffs, one after another.
        for _tenant in scope.each():
            self.run_tenant()

    def run_tenant(self):
        for visit in services.missing_task_handoffs():
            if self.stopping.is_set():
                return
            services.create_tasks_for(visit)
        done = failed = 0
        for h in services.due_handoffs():
            if self.stopping.is_set():
                break
            h = services.run_handoff(h)
            if h.status == Handoff.Status.DONE:
                done += 1
            else:
                failed += 1
                self.stderr.write(
                    _("失敗 #%(id)s（%(n)s 回目）：%(e)s")
                    % {"id": h.pk, "n": h.attempts, "e": h.last_error}
                )
        self.stdout.write(
            _("連携：成功 %(done)s 件、失敗 %(failed)s 件") % {"done": done, "failed": failed}
        )
