import csv
import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from queues import prepare


class Command(BaseCommand):
    help = "転入予約（引越しワンストップ）の異動情報を CSV か JSON から取り込み、転入の来庁を準備します。"

    def add_arguments(self, parser):
        parser.add_argument("file", help='*.json（{"notices": [...]}）か *.csv（1行1人、UTF-8）')
        parser.add_argument("--no-print", action="store_true", help="申請書の事前印刷をしない")

    def handle(self, *args, file, no_print, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"{file} がありません。")
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as f:
                items = prepare.rows_to_notices(csv.DictReader(f))
        else:
            body = json.loads(path.read_text(encoding="utf-8"))
            items = body["notices"] if isinstance(body, dict) else body
        created = existing = failed = 0
        for item in items:
            try:
                r, new = prepare.import_notice(item, print_packet=not no_print)
            except prepare.FeedError as e:
                failed += 1
                self.stderr.write(f"{item.get('予約番号', '?')}: {e}")
                continue
            created += new
            existing += not new
            self.stdout.write(
                f"{r.external_id}: {r.visit.number if r.visit_id else '-'} {r.prepare_note}".rstrip()
            )
        self.stdout.write(f"取込 {created} 件、取込済み {existing} 件、エラー {failed} 件")
        if failed:
            raise CommandError(f"{failed} 件を取り込めませんでした。")
