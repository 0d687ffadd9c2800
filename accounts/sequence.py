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

TABLE = "accounts_auditentry"


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
