"""`madoguchi register import FILE [--mapping MAP] [--mode full|diff] [--encoding …]
[--format csv|json] [--dry-run] [--json]`: load the resident register from the core system's
extract (docs/register-import.md). Nothing is written unless every row is accepted."""

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from backoffice.register import import_register
from residents.importer import FileRefused
from residents.importmap import Mapping, MappingError


class Command(BaseCommand):
    help = "基幹系の住民記録（全件または異動分）を取り込みます。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="CSV（UTF-8・CP932）か JSON の住民記録を取り込む")
        imp.add_argument("file")
        imp.add_argument("--mapping", help="列の対応表（YAML）。省略時は標準の項目名の列")
        imp.add_argument("--mode", choices=["full", "diff"], default="full",
                         help="full: 全件（ファイルにない住民は消除）、diff: 異動分")  # fmt: skip
        imp.add_argument("--encoding", choices=["utf-8", "cp932"], default="")
        imp.add_argument("--format", choices=["csv", "json"], default="")
        imp.add_argument("--dry-run", action="store_true", help="検査と件数だけ、書き込まない")
        imp.add_argument("--json", action="store_true", help="結果を JSON で出力")

    def handle(self, *args, action, file, mapping=None, mode="full", encoding="", format="",
               dry_run=False, json=False, **options):  # fmt: skip
        try:
            table = Mapping.load(mapping) if mapping else None
            report = import_register(file, mapping=table, mode=mode, encoding=encoding,
                                     fmt=format, dry_run=dry_run)  # fmt: skip
        except (MappingError, FileRefused) as e:
            raise CommandError(str(e)) from e
        if json:
            self.stdout.write(_dumps(report.as_dict()))
        else:
            self._print(report)
        if report.rejected_count:
            raise CommandError(f"{report.rejected_count} 行に誤りがあるため、何も書き込みません。")

    def _print(self, report):
        r, h, s = report.residents, report.households, report.support_measure
        kind = "全件" if report.mode == "full" else "異動分"
        for item in report.rejected:
            self.stderr.write(f"{item['line']} 行目: {item['reason']}")
        if report.rejected_count > len(report.rejected):
            self.stderr.write(f"…ほか {report.rejected_count - len(report.rejected)} 行")
        if report.rejected_count:
            return
        done = "（試行のみ・書き込みなし）" if report.dry_run else ""
        self.stdout.write(
            f"{kind} {report.rows} 行{done}: 住民 追加 {r['added']}・変更 {r['changed']}・"
            f"消除 {r['removed']}・変更なし {r['unchanged']}／世帯 追加 {h['added']}・"
            f"変更 {h['changed']}・削除 {h['removed']}／支援措置 設定 {s['set']}・"
            f"解除 {s['cleared']}。変更 {report.changes} 件。"
        )


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False, indent=1)
