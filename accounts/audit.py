"""One place that writes the audit log, so every view of a resident is recorded the same way."""

from accounts.models import AuditEntry


def terminal_of(request) -> str:
    """The counter terminal: the client address, or the name a terminal announces about itself."""
    if request is None:
        return ""
    return request.headers.get("X-Madoguchi-Terminal") or request.META.get("REMOTE_ADDR", "")


def record(user, action: str, *, resident_id=None, visit_id=None, request=None, **detail):
    return AuditEntry.objects.create(
        user=user if user and user.is_authenticated else None,
        action=action,
        resident_id=resident_id,
        visit_id=visit_id,
        terminal=terminal_of(request),
        detail=detail,
    )


def record_many(user, action: str, resident_ids, *, request=None, **detail):
    term = terminal_of(request)
    AuditEntry.objects.bulk_create(
        AuditEntry(user=user, action=action, resident_id=rid, terminal=term, detail=detail)
        for rid in resident_ids
    )
