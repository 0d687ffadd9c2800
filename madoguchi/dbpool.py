"""The database connection budget of a running Madoguchi: pools per process, checked against
what PostgreSQL allows, and given back when a process stops."""

from django.db import connections
from django.utils.translation import gettext as _

# Share of PostgreSQL's connections (less the superuser reserve) Madoguchi may plan to take:
# the rest is for psql, backups, monitoring and any other database on the same server.
SHARE = 0.8


class BudgetExceeded(Exception):
    pass


def close_pools() -> None:
    """Close every pooled connection of this process (the pool is per process, not per thread)."""
    for conn in connections.all():
        if conn.vendor == "postgresql" and conn.pool:
            conn.close_pool()


def check_budget(
    workers: int, pool_size: int, alias: str = "default", loops: int = 2
) -> str | None:
    """Refuse a plan of `workers` processes × `pool_size` connections (plus one for each of
    `serve`'s `loops`: handoff, remote_due) that would take more than SHARE of the server's
    connections; returns a warning when the plan fits but the connections other clients hold
    now leave too little room."""
    conn = connections[alias]
    if conn.vendor != "postgresql" or pool_size <= 0:
        return None
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int,"
            " (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
            "  AND pid <> pg_backend_pid())"
        )
        limit, in_use = cursor.fetchone()
    need = workers * pool_size + loops
    if need > limit * SHARE:
        raise BudgetExceeded(
            _(
                "データベースの接続数が足りません：ワーカー %(workers)s × スレッド %(pool)s"
                "（定期実行を含め最大 %(need)s 接続）は、PostgreSQL の接続上限"
                "（max_connections から予約分を除き %(limit)s）の %(share)s 割を超えます。"
                "--workers か --threads を減らすか、max_connections を増やしてください。"
            )
            % {
                "workers": workers,
                "pool": pool_size,
                "need": need,
                "limit": limit,
                "share": int(SHARE * 10),
            }
        )
    if need + in_use > limit:
        return _(
            "注意：PostgreSQL では今 %(in_use)s 接続が他に使われています。Madoguchi が最大の "
            "%(need)s 接続を使うと上限 %(limit)s を超えるため、混雑時に接続を待つことがあります。"
        ) % {"in_use": in_use, "need": need, "limit": limit}
    return None
