from django.core.management import BaseCommand

from accounts.models import Department, Office
from queues.models import Counter

# The demo city's counters: 1–4 市民課, 5–6 保険年金課 at the 本庁; 1–2 市民課 at 端野支所.
DEMO = {
    "honcho": [
        (1, "shimin"),
        (2, "shimin"),
        (3, "shimin"),
        (4, "shimin"),
        (5, "hoken_nenkin"),
        (6, "hoken_nenkin"),
    ],
    "tanno": [(1, "shimin"), (2, "shimin")],
}


class Command(BaseCommand):
    help = "デモ用の窓口番号（本庁 1〜6番、端野支所 1〜2番）を作成します。"

    def handle(self, *args, **options):
        n = 0
        for code, rows in DEMO.items():
            office = Office.objects.filter(code=code).first()
            if office is None:
                continue
            for number, dept in rows:
                department = Department.objects.filter(code=dept).first()
                if department:
                    _c, created = Counter.objects.get_or_create(
                        office=office, number=number, defaults={"department": department}
                    )
                    n += created
        self.stdout.write(f"窓口を {n} 件作成しました。")
