"""One place that writes the audit log, so every view of a resident is recorded the same way.

Entries are chained (accounts.chain): each write locks the one AuditHead row, numbers the
entry one after the newest id, links it to the last hash and moves the head (sealed with the
audit key), all in the caller's transaction. Checking is accounts.verification's.
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts import sequence, verification
from accounts.models import AuditEntry, AuditHead, AuditSubject


def terminal_of(request) -> str:
    """Where a request came from, as the server saw it: the address the log relies on.

    Behind a reverse proxy, uvicorn sets it from X-Forwarded-For only for the proxies it
    trusts (--forwarded-allow-ips; docs/operations.md).
    """
    if request is None:
        return ""
    return (request.META.get("REMOTE_ADDR") or "")[:100]


def terminal_name_of(request) -> str:
    """The name a counter terminal announces about itself (X-Madoguchi-Terminal).

    Any client can send any name, so it is recorded as a claim beside the address, never
    instead of it; control characters are dropped so a name cannot forge a line of a report.
    """
    if request is None:
        return ""
    name = request.headers.get("X-Madoguchi-Terminal", "")
    return "".join(c for c in name if c.isprintable())[:100]


def terminal_label(request) -> str:
    """Address and claimed name in one field, for records that show where, such as a task's
    history: 「192.0.2.15（窓口3）」."""
    address, name = terminal_of(request), terminal_name_of(request)
    return f"{address}（{name}）"[:100] if name else address


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        try:
            with transaction.atomic():
                AuditHead.objects.create(pk=1)
        except IntegrityError:
            pass  # another writer created it first
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def _next_id(head: AuditHead) -> int:
    """One after the newest id anyone has seen: the head's, the table's, and on SQLite the
    database's counter, so ids of deleted newest entries are never given out again and the
    gap stays visible. PostgreSQL's counter is not used: a rolled-back write moves it too."""
    newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    seen = [head.last_id, newest]
    if connection.vendor == "sqlite":
        seen.append(sequence.issued() or 0)
    return max(seen) + 1


def _append(entry: AuditEntry) -> AuditEntry:
    with transaction.atomic():
        head = _locked_head()
        entry.id = _next_id(head)
        entry.at = timezone.now()
        entry.prev_hash = head.last_hash
        entry.hash = entry.compute_hash()
        AuditEntry.objects.bulk_create([entry])
        AuditSubject.objects.bulk_create(
            [AuditSubject(entry_id=entry.id, resident_id=rid) for rid in entry.resident_ids()]
        )
        head.last_id, head.last_hash, head.count = entry.id, entry.hash, head.count + 1
        AuditHead.objects.filter(pk=head.pk).update(
            last_id=head.last_id, last_hash=head.last_hash, count=head.count, signature=head.sign()
        )
        if connection.vendor == "postgresql":
            sequence.set_issued(entry.id)
    return entry


def _user(user):
    return user if user is not None and user.is_authenticated else None


def _ids(resident_ids) -> list[int]:
    out: list[int] = []
    for rid in resident_ids:
        if rid and int(rid) not in out:
            out.append(int(rid))
    return out


def record(
    user,
    action: str,
    *,
    resident_id=None,
    resident_ids=None,
    visit_id=None,
    request=None,
    **detail,
) -> AuditEntry:
    """One entry. `resident_ids` lists every resident one action showed (a search's hits),
    kept in detail["resident_ids"]; the audit screen finds the entry under each of them."""
    if resident_ids is not None:
        detail["resident_ids"] = _ids(resident_ids)
    entry = AuditEntry(
        user=_user(user),
        action=action,
        resident_id=resident_id,
        visit_id=visit_id,
        terminal=terminal_of(request),
        terminal_name=terminal_name_of(request),
        detail=detail,
    )
    return _append(entry)


def record_many(user, action: str, resident_ids, *, request=None, **detail) -> AuditEntry | None:
    """One entry for one look at several residents (a household, a packet, a list); nothing
    when there is nobody to record."""
    ids = _ids(resident_ids)
    if not ids:
        return None
    return record(user, action, resident_ids=ids, request=request, **detail)


def verify() -> list[str]:
    """Problems found in the log; empty when it is intact (accounts.verification)."""
    return verification.check().problems
