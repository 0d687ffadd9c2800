"""`madoguchi serve` refuses a plan that would take PostgreSQL's connections from everything
else on the server, and several workers without Redis (their call displays would not meet)."""

import os

import pytest
from django.core.management import CommandError, call_command

from madoguchi import dbpool

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRES, reason="max_connections is PostgreSQL's (CI runs this)")
def test_more_connections_than_the_server_can_spare_are_refused_with_the_numbers():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        max_connections = int(cursor.fetchone()[0])
    with pytest.raises(dbpool.BudgetExceeded) as refused:
        dbpool.check_budget(workers=max_connections, pool_size=2)
    message = str(refused.value)
    assert "データベースの接続数が足りません" in message
    assert f"ワーカー {max_connections} × スレッド 2" in message
    assert "--workers か --threads を減らす" in message
    fits = dbpool.check_budget(workers=1, pool_size=2)  # a warning only if others use a lot
    assert fits is None or fits.startswith("注意")


@pytest.mark.django_db
@pytest.mark.skipif(ON_POSTGRES, reason="on SQLite there is no connection budget")
def test_sqlite_has_no_connection_budget():
    assert dbpool.check_budget(workers=1000, pool_size=1000) is None


def test_several_workers_without_redis_are_refused(settings):
    settings.REDIS_URL = ""
    with pytest.raises(CommandError, match="REDIS_URL が必要です"):
        call_command("serve", "--workers", "2")
