"""Re-chain the audit log with the keyed HMAC (accounts.chain) where it was plain SHA-256.

The old chain is verified first: re-chaining a log that was already edited would hide the
edit under valid keyed links, so a broken chain stops the migration instead.
"""

import hashlib

from django.db import migrations

from accounts.chain import entry_hash, entry_payload


def _plain(prev, e) -> str:
    # The unkeyed link of 0002, frozen here: accounts.chain no longer computes it.
    return hashlib.sha256(
        entry_payload(
            prev, e.at, e.user_id, e.action, e.resident_id, e.visit_id, e.terminal, e.detail
        )
    ).hexdigest()


def _keyed(prev, e) -> str:
    return entry_hash(
        prev, e.at, e.user_id, e.action, e.resident_id, e.visit_id, e.terminal, e.detail
    )


def _intact(entries, link) -> bool:
    prev = ""
    for e in entries.order_by("id").iterator(chunk_size=2000):
        if e.prev_hash != prev or e.hash != link(prev, e):
            return False
        prev = e.hash
    return True


def rechain(apps, schema_editor):
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    AuditHead = apps.get_model("accounts", "AuditHead")
    entries = AuditEntry.objects.all()
    if _intact(entries, _keyed):
        return  # a new database, chained by 0002 with the key already
    if not _intact(entries, _plain):
        raise RuntimeError(
            "The audit log's SHA-256 chain is already broken: it is not re-chained with the key, "
            "which would hide the edit. Run `madoguchi audit verify` on the previous version and "
            "investigate before migrating."
        )
    prev, count, last_id = "", 0, 0
    for e in entries.order_by("id").iterator(chunk_size=2000):
        e.prev_hash = prev
        e.hash = prev = _keyed(prev, e)
        AuditEntry.objects.filter(pk=e.pk).update(prev_hash=e.prev_hash, hash=e.hash)
        count, last_id = count + 1, e.id
    AuditHead.objects.update_or_create(
        pk=1, defaults={"last_id": last_id, "last_hash": prev, "count": count}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_audit_chain"),
    ]

    operations = [
        migrations.RunPython(rechain, migrations.RunPython.noop),
    ]
