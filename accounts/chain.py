"""The audit log's hash chain: pure functions, shared by the writer, the verifier and the
migrations that chained the entries written before the chain (or its key) existed.

Each link is an HMAC-SHA256 keyed by settings.AUDIT_CHAIN_KEY, which lives outside the
database: someone who can write to the database can edit an entry, but cannot recompute
the links after it without the key, so `madoguchi audit verify` still finds the edit.
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime


def chain_key() -> bytes:
    from django.conf import settings

    return str(settings.AUDIT_CHAIN_KEY).encode()


def entry_payload(
    prev_hash: str, at: datetime, user_id, action: str, resident_id, visit_id, terminal: str, detail
) -> bytes:
    # UTC with microseconds: SQLite and PostgreSQL give back the same instant either way.
    return json.dumps(
        [
            prev_hash,
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            user_id,
            action,
            resident_id,
            visit_id,
            terminal,
            detail,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    ).encode()


def entry_hash(
    prev_hash: str,
    at: datetime,
    user_id,
    action: str,
    resident_id,
    visit_id,
    terminal: str,
    detail,
    *,
    key: bytes | None = None,
) -> str:
    payload = entry_payload(prev_hash, at, user_id, action, resident_id, visit_id, terminal, detail)
    return hmac.new(chain_key() if key is None else key, payload, hashlib.sha256).hexdigest()
