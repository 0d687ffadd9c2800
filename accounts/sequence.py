"""The database's own id counter of the audit log, read and set by the writer, the verifier
and the migration that numbered the log densely.

The writer numbers entries itself (last id + 1, under the head's lock), so a missing id is a
deleted entry. The counter the database keeps beside the table is a second witness:

- SQLite (AUTOINCREMENT): sqlite_sequence holds the largest id ever inserted; it is a table
  row, rolled back with the transaction, so it equals the newest entry's id exactly unless
  entries at the end were deleted (or sqlite_sequence itself was edited).
- PostgreSQL: the identity sequence. setval/nextval are never rolled back, so a write that
  was rolled back leaves it ahead until the next write sets it again: a difference is worth a
  look, not a proof. The anchor (`madoguchi audit anchor`) is the proof there.
"""

from django.db import connection as default_connection

from tenants import scope

TABLE = "accounts_auditentry"
# Each tenant numbers its chain in a range of its own: tenant number n gives ids from
# n * RANGE + 1, so the default tenant (0) keeps 1, 2, 3… and chains never wait on each other.
RANGE = 1 << 40


def id_base() -> int:
    """The id before the current tenant's first entry."""
    return scope.current().number * RANGE


def head_id() -> int:
    """The primary key of the current tenant's AuditHead row (1 for the default tenant)."""
    return scope.current().number + 1


def issued_here(connection=None) -> int | None:
    """The database's counter when it lies in the current tenant's range, else None: it
    witnesses one chain only, the last one written (with several tenants, the anchor is the
    proof; docs/operations.md)."""
    value = issued(connection)
    base = id_base()
    if value is None or not (base <= value < base + RANGE):
        return None
    return value


def issued(connection=None, table: str = TABLE) -> int | None:
    """The highest id the database has handed out for `table`; None when it cannot say."""
    connection = connection or default_connection
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
            if cur.fetchone() is None:
                return 0
            cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cur.fetchone()
            return int(row[0]) if row else 0
        if connection.vendor == "postgresql":
            seq = _pg_sequence(cur, table)
            if seq is None:
                return None
            cur.execute(f"SELECT last_value, is_called FROM {seq}")
            last_value, is_called = cur.fetchone()
            return int(last_value) if is_called else int(last_value) - 1
    return None


def set_issued(last_id: int, connection=None, table: str = TABLE) -> None:
    """Keep the database's counter at the newest id the writer gave out."""
    connection = connection or default_connection
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last_id, table])
            if cur.rowcount == 0 and last_id:
                cur.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last_id]
                )
        elif connection.vendor == "postgresql":
            seq = _pg_sequence(cur, table)
            if seq is not None:
                # setval cannot go below 1: an empty log is "1, not yet called".
                cur.execute("SELECT setval(%s, %s, %s)", [seq, max(last_id, 1), last_id > 0])


def _pg_sequence(cur, table: str) -> str | None:
    cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    row = cur.fetchone()
    return row[0] if row else None
