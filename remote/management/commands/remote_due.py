"""`madoguchi remote_due`: what has come due in the remote counter. Calls whose two room pages
have both been silent for a while (browsers closed without 終了) are ended; booked リモート相談
whose time has come, with the resident at the branch counter, are sent to the department's
lobby. Cron it every minute, or `--loop` it (`madoguchi serve` does, every
MADOGUCHI_REMOTE_DUE_EVERY seconds). One runner at a time per database (madoguchi.loops)."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.loops import LoopCommand
from remote import services
from tenants import scope


class Command(LoopCommand):
    help = "閉じられたリモート相談を終了にし、予約時刻になったリモート相談を依頼します。"
    lock_name = "remote_due"
    running = gettext_lazy("リモート窓口の定期処理")
    loop_name = gettext_lazy("リモート窓口の定期実行")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--after",
            type=int,
            default=int(services.STALE_AFTER.total_seconds()),
            metavar="SECONDS",
            help="両方の画面からこの秒数連絡がなければ終了にする",
        )

    def run_once(self):
        after = timedelta(seconds=self.options["after"])
        for _tenant in scope.each():
            self.run_tenant(after)

    def run_tenant(self, after):
        for c in services.end_stale(after=after):
            self.stdout.write(
                _("リモート相談 %(pk)s（受付番号 %(visit)s）を終了にしました。")
                % {"pk": c.pk, "visit": c.visit.number}
            )
        for c in services.request_booked():
            self.stdout.write(
                _("予約のリモート相談を %(d)s に依頼しました（受付番号 %(visit)s）。")
                % {"d": c.department.name, "visit": c.visit.number}
            )
