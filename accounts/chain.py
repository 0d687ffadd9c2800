"""The audit log's hash chain: pure functions, shared by the writer, the verifier and the
migration that chained the entries written before the chain existed."""

import hashlib
import json
from datetime import UTC, datetime


def entry_hash(prev_hash: str, at: datetime, user_id, action: str, resident_id, visit_id,
               terminal: str, detail) -> str:
    # UTC with microseconds: SQLite and PostgreSQL give back the same instant either way.
    payload = json.dumps(
        [prev_hash, at.astimezone(UTC).isoformat(timespec="microseconds"), user_id, action,
         resident_id, visit_id, terminal, detail],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()
