"""`madoguchi generate_city`: the synthetic demo city (the pack's municipality) in the register."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from demo.city import RegisterInUse, generate_city
from tenants import scope


class Command(BaseCommand):
    help = "デモ用の架空の市（カタログの自治体。世帯・住民）を住民記録に作成します。"

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=20_000, help="住民数（既定 20,000）")
        parser.add_argument(
            "--seed", type=int, default=1, help="乱数の種（同じ種と基準日で同じ市になります）"
        )
        parser.add_argument(
            "--replace", action="store_true", help="既存の住民記録を消してから作成します"
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="年齢と資格を判定する基準日 YYYY-MM-DD（既定は今日）",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, residents, seed, replace, today, database, **options):
        try:
            result = generate_city(
                residents,
                seed,
                today=today,
                replace=replace,
                using=database,
                progress=options["verbosity"] > 0,
            )
        except (RegisterInUse, ValueError) as e:
            raise CommandError(str(e)) from e
        if result.reused:
            self.stdout.write(
                f"住民記録に既に{result.residents:,}人（{result.households:,}世帯）がいるため、そのまま使います。"
                "作り直すには --replace を付けてください。"
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{scope.municipality()['name']}（デモ）を作成しました: {result.households:,}世帯、{result.residents:,}人"
                    f"（{result.seconds:.1f}秒）"
                )
            )
