"""Seal the audit head with the audit key, and number the entries one after another.

From now on the writer numbers entries itself (accounts.audit), so a missing id is a deleted
entry. Ids written before may have gaps (PostgreSQL's sequence skips the ids of rolled-back
writes); they are not part of any hash, so an intact log is renumbered densely in its order
and its head sealed. A log whose chain is already broken, or whose head does not match it, is
left as it is, unsealed: sealing it would hide the damage; `madoguchi audit verify` names it.
"""

from django.db import migrations, models

from accounts.chain import entry_hash, head_signature
from accounts.sequence import set_issued


def _intact_ids(AuditEntry):
    prev, ids = "", []
    for e in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        link = entry_hash(
            prev, e.at, e.user_id, e.action, e.resident_id, e.visit_id, e.terminal, e.detail
        )
        if e.prev_hash != prev or e.hash != link:
            return None, ""
        prev = e.hash
        ids.append(e.id)
    return ids, prev


def seal(apps, schema_editor):
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    AuditHead = apps.get_model("accounts", "AuditHead")
    ids, last_hash = _intact_ids(AuditEntry)
    head = AuditHead.objects.filter(pk=1).first()
    if ids is None:
        return
    if head is not None and (head.last_hash, head.count, head.last_id) != (
        last_hash,
        len(ids),
        ids[-1] if ids else 0,
    ):
        return
    if head is None and ids:
        return
    # Ascending, each id moves down to a number already freed: no two rows ever collide.
    for new, old in enumerate(ids, 1):
        if new != old:
            AuditEntry.objects.filter(pk=old).update(id=new)
    n = len(ids)
    AuditHead.objects.update_or_create(
        pk=1,
        defaults={
            "last_id": n,
            "last_hash": last_hash,
            "count": n,
            "signature": head_signature(n, last_hash, n),
        },
    )
    set_issued(n, connection=schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_audit_chain_hmac"),
    ]

    operations = [
        migrations.AddField(
            model_name="audithead",
            name="signature",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(seal, migrations.RunPython.noop),
    ]
