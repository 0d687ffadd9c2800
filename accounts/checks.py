"""Start-up checks that keep a production install from running on the demo's secrets."""

import os

from django.conf import settings
from django.core.checks import Error, Warning, register

DEMO_SECRET = "madoguchi-demo-only-not-for-production"


@register("security", deploy=False)
def secrets_are_set(app_configs, **kwargs):
    production = os.environ.get("MADOGUCHI_ENV") == "production"
    if not production and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return []  # the SQLite demo, benchmarks and tests
    level = Error if production else Warning
    problems = []
    if settings.SECRET_KEY == DEMO_SECRET:
        problems.append(
            level(
                "SECRET_KEY がデモ用の値のままです。環境変数 SECRET_KEY を設定してください。",
                id="madoguchi.E001" if production else "madoguchi.W001",
            )
        )
    if not settings.MYNUMBER_KEY:
        problems.append(
            level(
                "MADOGUCHI_MYNUMBER_KEY が未設定のため、個人番号の暗号鍵が SECRET_KEY から作られています。"
                "データベースとは別に保管する鍵を設定してください。",
                id="madoguchi.E002" if production else "madoguchi.W002",
            )
        )
    if not os.environ.get("MADOGUCHI_AUDIT_KEY"):
        problems.append(
            level(
                "MADOGUCHI_AUDIT_KEY が未設定のため、監査ログの鍵が SECRET_KEY から作られています。"
                "データベースとは別に保管する鍵を設定してください。",
                id="madoguchi.E003" if production else "madoguchi.W003",
            )
        )
    return problems
