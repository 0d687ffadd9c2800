"""`madoguchi handoff`: run the handoffs that are due (failed ones after their backoff), and
make the tasks of accepted visits whose after-commit handoff never ran. Cron it every minute,
or `--loop` it (`madoguchi serve` does). One runner at a time per database (madoguchi.loops)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice import services
from backoffice.models import Handoff
from madoguchi.loops import LoopCommand
from tenants import scope


class Command(LoopCommand):
    help = "期限の来た連携（担当課への振り分け・基幹系への送信）を実行・再試行します。"
    lock_name = "handoff"
    running = gettext_lazy("連携の実行")
    loop_name = gettext_lazy("連携の定期実行")

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
