from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Office
from queues import services


class Command(BaseCommand):
    help = "閉庁時に、その日までの未終了の番号札をすべて理由つきで終了します（翌日は1番から）。"

    def add_arguments(self, parser):
        parser.add_argument("--office", help="庁舎コード（省略時はすべての庁舎）")
        parser.add_argument(
            "--reason", default="閉庁のため終了", help="終了の理由（記録に残ります）"
        )
        parser.add_argument("--date", help="この日までの札を終了（YYYY-MM-DD、省略時は今日）")

    def handle(self, *args, office=None, reason, date=None, **options):
        from datetime import date as _date

        o = None
        if office:
            o = Office.objects.filter(code=office).first()
            if o is None:
                raise CommandError(f"庁舎コード {office} がありません。")
        day = _date.fromisoformat(date) if date else timezone.localdate()
        n = services.close_day(office=o, day=day, reason=reason)
        self.stdout.write(f"{n} 枚の番号札を終了しました（{reason}）。")
