"""Entries written outside a transaction (searches, page views) from many threads at once are
committed together in few locked rounds, each caller returning once its own entry is in, and
the chain stays intact; an entry inside a transaction is undone with it."""

import threading
import time

import pytest
from django.db import connection, transaction

from accounts import audit
from accounts.models import AuditEntry

THREADS = 16


@pytest.mark.django_db(transaction=True)
def test_entries_from_sixteen_threads_at_once_are_written_in_a_few_rounds_and_chain(monkeypatch):
    real_write = audit._write
    first = threading.Event()

    def slow_first_write(entries):
        # The first round holds the head a while, as a busy database does: the others queue.
        if not first.is_set():
            first.set()
            time.sleep(0.5)
        return real_write(entries)

    monkeypatch.setattr(audit, "_write", slow_first_write)
    before = audit._group.batches
    start = threading.Barrier(THREADS)
    returned: dict[int, AuditEntry] = {}
    errors = []

    def view(i):
        try:
            start.wait()
            if i:
                first.wait()  # the first thread is writing: everybody else arrives meanwhile
            returned[i] = audit.record(None, "resident.viewed", resident_id=1000 + i)
            # Returned means committed: another connection already sees it.
            assert AuditEntry.objects.filter(pk=returned[i].pk).exists()
        except Exception as e:  # noqa: BLE001 — reported below, in the test's thread
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=view, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sorted(e.resident_id for e in returned.values()) == [1000 + i for i in range(THREADS)]
    assert AuditEntry.objects.filter(action="resident.viewed").count() == THREADS
    assert audit._group.batches - before == 2  # the slow first one, then everybody else
    _assert_chained(AuditEntry.objects.filter(action="resident.viewed").order_by("id"))


def _assert_chained(entries):
    """Each entry links to the one before it and its own hash is right (the chain, without
    the checks of the whole log that `audit verify` adds)."""
    entries = list(entries)
    for prev, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == prev.hash
    for entry in entries:
        assert entry.compute_hash() == entry.hash


@pytest.mark.django_db(transaction=True)
def test_an_entry_in_a_transaction_that_fails_is_not_kept():
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            audit.record(None, "visit.answered", visit_id=None, fact="x")
            raise RuntimeError("the change it records failed")
    assert not AuditEntry.objects.filter(action="visit.answered").exists()
    kept = audit.record(None, "resident.viewed", resident_id=1)
    assert AuditEntry.objects.get(pk=kept.pk).compute_hash() == kept.hash
