"""One place that writes the audit log, so every view of a resident is recorded the same way.

Entries are chained (accounts.chain): each write locks the one AuditHead row, links its
entries to the last hash and moves the head, in the caller's transaction when there is one;
entries outside any transaction are written in batches with other threads' (_GroupCommit).
"""

import threading

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, AuditHead


def terminal_of(request) -> str:
    """The counter terminal: the client address, or the name a terminal announces about itself."""
    if request is None:
        return ""
    return (request.headers.get("X-Madoguchi-Terminal") or request.META.get("REMOTE_ADDR", ""))[
        :100
    ]


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
    with transaction.atomic():
        head = _locked_head()
        prev = head.last_hash
        now = timezone.now()
        for e in entries:
            e.at = now
            e.prev_hash = prev
            e.hash = prev = e.compute_hash()
        created = AuditEntry.objects.bulk_create(entries)
        last_id = (
            created[-1].pk or AuditEntry.objects.order_by("-id").values_list("id", flat=True)[0]
        )
        AuditHead.objects.filter(pk=head.pk).update(
            last_id=last_id, last_hash=prev, count=head.count + len(entries)
        )
    return created


def _user(user):
    return user if user is not None and user.is_authenticated else None


def record(user, action: str, *, resident_id=None, visit_id=None, request=None, **detail):
    entry = AuditEntry(
        user=_user(user),
        action=action,
        resident_id=resident_id,
        visit_id=visit_id,
        terminal=terminal_of(request),
        detail=detail,
    )
    return _append([entry])[0]


def record_many(user, action: str, resident_ids, *, request=None, **detail):
    term = terminal_of(request)
    return _append(
        [
            AuditEntry(
                user=_user(user), action=action, resident_id=rid, terminal=term, detail=detail
            )
            for rid in resident_ids
        ]
    )


def verify() -> list[str]:
    """Problems found walking the chain from the first entry; empty when it is intact."""
    problems = []
    prev, count, last_id = "", 0, 0
    for e in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if e.prev_hash != prev:
            problems.append(_("#%(id)s: 直前の記録が削除または改ざんされています。") % {"id": e.id})
        if e.compute_hash() != e.hash:
            problems.append(
                _("#%(id)s: 記録の内容が改ざんされています（%(action)s）。")
                % {"id": e.id, "action": e.action}
            )
        prev, count, last_id = e.hash, count + 1, e.id
    head = AuditHead.objects.filter(pk=1).first()
    if head is None and count:
        problems.append(_("監査ログの末尾の記録（ヘッド）が削除されています。"))
    elif head is not None and (
        head.last_hash != prev or head.count != count or head.last_id != last_id
    ):
        problems.append(
            _("末尾の記録が削除されています（記録 %(want)s 件のうち %(have)s 件）。")
            % {"want": head.count, "have": count}
        )
    return problems
