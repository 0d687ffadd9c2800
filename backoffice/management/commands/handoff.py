"""`madoguchi handoff`: run the handoffs that are due (failed ones after their backoff), and
make the tasks of accepted visits whose after-commit handoff never ran. Cron it every minute,
or `--loop` it."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from backoffice import services
from backoffice.models import Handoff


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

    def handle(self, *args, loop=0, **options):
        while True:
            self.run_once()
            if not loop:
                return
            time.sleep(loop)

    def run_once(self):
        for visit in services.missing_task_handoffs():
            services.create_tasks_for(visit)
        done = failed = 0
        for h in services.due_handoffs():
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
