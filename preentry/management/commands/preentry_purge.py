from django.core.management.base import BaseCommand

from preentry import services
from tenants import scope


class Command(BaseCommand):
    help = "有効期限を過ぎた未使用の事前入力を削除します（毎日の実行を想定）。"

    def handle(self, *args, **options):
        n = sum(services.purge() for _tenant in scope.each())
        self.stdout.write(f"削除した事前入力（関連行を含む）: {n} 件")
