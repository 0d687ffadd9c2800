"""One place that writes the audit log, so every view of a resident is recorded the same way.

Entries are chained (accounts.chain), one chain per tenant: each write locks the tenant's
AuditHead row, numbers the
entry one after the newest id, links it to the last hash and moves the head (sealed with the
audit key), in the caller's transaction when there is one; entries outside any transaction
are written in batches with other threads' (_GroupCommit). Checking is accounts.verification's.
"""

import threading

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts import sequence, verification
from accounts.models import AuditEntry, AuditHead, AuditSubject
from tenants import scope


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
    """The current tenant's head, locked (its id is fixed by the tenant: sequence.head_id)."""
    pk = sequence.head_id()
    head = AuditHead.objects.select_for_update().filter(pk=pk).first()
    if head is None:
        try:
            with transaction.atomic():
                AuditHead.objects.create(pk=pk)
        except IntegrityError:
            pass  # another writer created it first
        head = AuditHead.objects.select_for_update().get(pk=pk)
    return head


def _next_id(head: AuditHead) -> int:
    """One after the newest id anyone has seen: the head's, the table's, and on SQLite the
    database's counter, so ids of deleted newest entries are never given out again and the
    gap stays visible. PostgreSQL's counter is not used: a rolled-back write moves it too.
    All of them within the current tenant's range (sequence.id_base)."""
    newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    seen = [head.last_id, newest, sequence.id_base()]
    if connection.vendor == "sqlite":
        seen.append(sequence.issued_here() or 0)
    return max(seen) + 1


def _append(entries: list[AuditEntry]) -> list[AuditEntry]:
    if not entries:
        return entries
    if transaction.get_connection().in_atomic_block:
        return _write(entries)  # part of the caller's change: committed or undone with it
    return _group.append(entries)


class _Pending:
    def __init__(self, entries):
        self.entries, self.error, self.lead = entries, None, False
        self.ready = threading.Event()


class _GroupCommit:
    """Entries that are not part of a caller's transaction (a search, a page view: most of
    them) are written in batches. While one thread holds the chain's head, others queue; the
    next writer takes the whole queue in one locked transaction. Under load the head row then
    serialises one round per batch instead of one per request, which had all requests of
    300 counter terminals waiting in line for it (bench/load.py). Each caller still returns
    only once its entries are committed."""

    def __init__(self):
        self._mutex = threading.Lock()
        self._queue: list[_Pending] = []
        self._writing = False
        self.batches = 0  # how many transactions wrote the entries (tests read it)

    def append(self, entries: list[AuditEntry]) -> list[AuditEntry]:
        mine = _Pending(entries)
        with self._mutex:
            self._queue.append(mine)
            mine.lead = not self._writing
            self._writing = True
        if not mine.lead:
            mine.ready.wait()  # written by another, or handed the lead (below)
        if mine.lead:
            self._write_queue()
        if mine.error is not None:
            raise mine.error
        return mine.entries

    def _write_queue(self):
        with self._mutex:
            batch, self._queue = self._queue, []
        try:
            _write([e for p in batch for e in p.entries])
            self.batches += 1
        except Exception as e:  # every caller in the batch sees its entries were not written
            for p in batch:
                p.error = e
        finally:
            with self._mutex:
                if self._queue:
                    # The next in line writes what queued meanwhile: nobody writes for ever.
                    self._queue[0].lead = True
                    self._queue[0].ready.set()
                else:
                    self._writing = False
            for p in batch:
                p.lead = False
                p.ready.set()


_group = _GroupCommit()


def _write(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Each tenant's entries onto its own chain (a batch may hold several tenants')."""
    by_tenant: dict[str, list[AuditEntry]] = {}
    for e in entries:
        by_tenant.setdefault(e.tenant_id, []).append(e)
    with transaction.atomic():
        for tenant_id, own in by_tenant.items():
            with scope.use(tenant_id):
                _write_chain(own)
    return entries


def _write_chain(entries: list[AuditEntry]) -> list[AuditEntry]:
    with transaction.atomic():
        head = _locked_head()
        next_id, now, prev = _next_id(head), timezone.now(), head.last_hash
        for e in entries:
            e.id, e.at, e.prev_hash = next_id, now, prev
            e.hash = prev = e.compute_hash()
            next_id += 1
        AuditEntry.objects.bulk_create(entries)
        AuditSubject.objects.bulk_create(
            [
                AuditSubject(entry_id=e.id, resident_id=rid)
                for e in entries
                for rid in e.resident_ids()
            ]
        )
        last = entries[-1]
        head.last_id, head.last_hash, head.count = last.id, last.hash, head.count + len(entries)
        AuditHead.objects.filter(pk=head.pk).update(
            last_id=head.last_id, last_hash=head.last_hash, count=head.count, signature=head.sign()
        )
        if connection.vendor == "postgresql":
            sequence.set_issued(last.id)
    return entries


def _user(user):
    return user if user is not None and user.is_authenticated else None


def _chain_of(user) -> str:
    """A staff member's entries go to their municipality's chain, wherever they came in (a
    login on the shared login page); anyone else's to the current tenant's."""
    try:
        return user.staff.tenant_id if _user(user) is not None else scope.current_id()
    except ObjectDoesNotExist:
        return scope.current_id()


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
        tenant_id=_chain_of(user),
        user=_user(user),
        action=action,
        resident_id=resident_id,
        visit_id=visit_id,
        terminal=terminal_of(request),
        terminal_name=terminal_name_of(request),
        detail=detail,
    )
    return _append([entry])[0]


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
