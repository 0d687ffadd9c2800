"""The audit log's hash chain: pure functions, shared by the writer, the verifier and the
migrations that chained the entries written before the chain (or its key) existed.

Each link is an HMAC-SHA256 keyed by settings.AUDIT_CHAIN_KEY, which lives outside the
database: someone who can write to the database can edit an entry, but cannot recompute
the links after it without the key, so `madoguchi audit verify` still finds the edit. The
same key seals the head row and the anchors an operator keeps outside the database.
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime


def chain_key() -> bytes:
    from django.conf import settings

    from tenants.keys import tenant_key

    # Each tenant's chain has its own key (the default tenant's is AUDIT_CHAIN_KEY itself).
    return tenant_key("audit", str(settings.AUDIT_CHAIN_KEY)).encode()


def entry_payload(
    prev_hash: str,
    at: datetime,
    user_id,
    action: str,
    resident_id,
    visit_id,
    terminal: str,
    detail,
    terminal_name: str = "",
) -> bytes:
    # UTC with microseconds: SQLite and PostgreSQL give back the same instant either way.
    fields = [
        prev_hash,
        at.astimezone(UTC).isoformat(timespec="microseconds"),
        user_id,
        action,
        resident_id,
        visit_id,
        terminal,
        detail,
    ]
    if terminal_name:
        # Appended only when a terminal named itself, so entries written before the name was
        # recorded keep the links they were written with.
        fields.append(terminal_name)
    return json.dumps(
        fields,
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
    terminal_name: str = "",
    *,
    key: bytes | None = None,
) -> str:
    payload = entry_payload(
        prev_hash, at, user_id, action, resident_id, visit_id, terminal, detail, terminal_name
    )
    return _mac(payload, key)


def _mac(payload: bytes, key: bytes | None = None) -> str:
    return hmac.new(chain_key() if key is None else key, payload, hashlib.sha256).hexdigest()


def head_signature(last_id: int, last_hash: str, count: int, *, key: bytes | None = None) -> str:
    """The head row's seal: moving the head to match a truncated log needs the key."""
    return _mac(f"head|{int(last_id)}|{last_hash}|{int(count)}".encode(), key)


def anchor_signature(
    last_id: int, last_hash: str, count: int, at: str, written_at: str, *, key=None
) -> str:
    """An anchor file's seal (`madoguchi audit anchor`): an edited file is not taken as proof."""
    return _mac(f"anchor|{int(last_id)}|{last_hash}|{int(count)}|{at}|{written_at}".encode(), key)


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
