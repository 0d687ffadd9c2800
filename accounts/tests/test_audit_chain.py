"""The audit log is a hash chain: an edited, deleted or truncated entry is found by
`madoguchi audit verify`; concurrent writers extend one chain, never fork it."""

import hashlib
import importlib
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts import audit
from accounts.chain import entry_hash, entry_payload
from accounts.models import AppendOnlyError, AuditEntry, AuditHead


def _write(user, n=5):
    for i in range(n):
        audit.record(user, "resident.viewed", resident_id=100 + i, note=f"閲覧{i}")


@pytest.mark.django_db
def test_each_entry_carries_the_hash_of_the_one_before(clerk):
    _write(clerk, 3)
    audit.record_many(clerk, "resident.searched", [1, 2], query="たかはし")
    entries = list(AuditEntry.objects.order_by("id"))
    assert entries[0].prev_hash == ""
    for prev, e in zip(entries, entries[1:], strict=False):
        assert e.prev_hash == prev.hash and e.hash == e.compute_hash()
    assert AuditHead.objects.get().last_hash == entries[-1].hash
    assert audit.verify() == []
    call_command("audit", "verify")


@pytest.mark.django_db
def test_an_edited_entry_is_detected(clerk):
    _write(clerk)
    victim = AuditEntry.objects.order_by("id")[2]
    AuditEntry.objects.filter(pk=victim.pk).update(resident_id=999)  # behind the model's back
    problems = audit.verify()
    assert len(problems) == 1 and f"#{victim.pk}" in problems[0] and "改ざん" in problems[0]
    with pytest.raises(CommandError):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_an_edit_that_recomputes_its_own_hash_breaks_the_next_link(clerk):
    _write(clerk)
    victim = AuditEntry.objects.order_by("id")[2]
    victim.terminal = "forged"
    AuditEntry.objects.filter(pk=victim.pk).update(terminal="forged", hash=victim.compute_hash())
    nxt = AuditEntry.objects.order_by("id")[3]
    assert any(f"#{nxt.pk}" in p for p in audit.verify())


@pytest.mark.django_db
def test_a_deleted_entry_is_detected(clerk):
    _write(clerk)
    victim = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=victim.pk).delete()
    assert any("削除" in p for p in audit.verify())


@pytest.mark.django_db
def test_deleting_the_newest_entries_is_detected_by_the_head(clerk):
    _write(clerk)
    AuditEntry.objects.filter(
        pk__in=list(AuditEntry.objects.order_by("-id").values_list("id", flat=True)[:2])
    ).delete()
    assert any("末尾" in p for p in audit.verify())


@pytest.mark.django_db
def test_the_model_refuses_to_change_or_delete_an_entry(clerk):
    e = audit.record(clerk, "resident.viewed", resident_id=1)
    e.action = "x"
    with pytest.raises(AppendOnlyError):
        e.save()
    with pytest.raises(AppendOnlyError):
        e.delete()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are PostgreSQL's; SQLite serialises writers",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_extend_one_chain(clerk):
    from django.db import connections

    errors = []

    def writer(k):
        try:
            for i in range(10):
                audit.record(None, "resident.viewed", resident_id=k * 100 + i)
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEntry.objects.filter(action="resident.viewed").count() == 40
    assert audit.verify() == []


def _rechain_from(victim_id, link):
    """What an attacker with database access does: edit an entry, then recompute every link after it."""
    prev = ""
    for e in AuditEntry.objects.order_by("id"):
        if e.id >= victim_id:
            AuditEntry.objects.filter(pk=e.pk).update(prev_hash=prev, hash=link(prev, e))
        prev = AuditEntry.objects.get(pk=e.pk).hash
    AuditHead.objects.filter(pk=1).update(last_hash=prev)


def _plain_sha256(prev, e):
    return hashlib.sha256(
        entry_payload(
            prev, e.at, e.user_id, e.action, e.resident_id, e.visit_id, e.terminal, e.detail
        )
    ).hexdigest()


def _wrong_key(prev, e):
    return entry_hash(
        prev,
        e.at,
        e.user_id,
        e.action,
        e.resident_id,
        e.visit_id,
        e.terminal,
        e.detail,
        key=b"a guessed key",
    )


@pytest.mark.parametrize("link", [_plain_sha256, _wrong_key], ids=["plain-sha256", "wrong-key"])
@pytest.mark.django_db
def test_an_edit_with_the_whole_chain_recomputed_without_the_key_is_detected(clerk, link):
    _write(clerk)
    victim = AuditEntry.objects.order_by("id")[2]
    AuditEntry.objects.filter(pk=victim.pk).update(resident_id=999)
    _rechain_from(victim.pk, link)
    problems = audit.verify()
    assert problems and f"#{victim.pk}" in problems[0] and "改ざん" in problems[0]
    with pytest.raises(CommandError):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_the_links_are_keyed_by_the_audit_chain_key_setting(clerk, settings):
    _write(clerk, 2)
    assert audit.verify() == []
    settings.AUDIT_CHAIN_KEY = "another municipality's key"
    problems = audit.verify()
    assert len(problems) == 3  # both entries, and the head's seal
    assert "ヘッド" in problems[2] and "署名" in problems[2]


def _migration(name="0003_audit_chain_hmac"):
    return importlib.import_module(f"accounts.migrations.{name}")


@pytest.mark.django_db
def test_the_migration_rechains_an_intact_sha256_log_with_the_key(clerk):
    from django.apps import apps

    _write(clerk)
    _rechain_from(AuditEntry.objects.order_by("id")[0].pk, _plain_sha256)  # as 0002 left it
    assert audit.verify()
    _migration().rechain(apps, None)
    _migration("0004_audit_head_signature").seal(apps, _SchemaEditor())  # and 0004 seals it
    assert audit.verify() == []


class _SchemaEditor:
    connection = connection


@pytest.mark.django_db
def test_the_migration_refuses_to_rechain_a_log_already_edited(clerk):
    from django.apps import apps

    _write(clerk)
    _rechain_from(AuditEntry.objects.order_by("id")[0].pk, _plain_sha256)
    AuditEntry.objects.filter(pk=AuditEntry.objects.order_by("id")[1].pk).update(terminal="forged")
    with pytest.raises(RuntimeError, match="already broken"):
        _migration().rechain(apps, None)
