"""One audit entry per look at several residents, findable under each: the AuditSubject index.

Entries written before name one resident each (resident_id); their index rows are made here.
"""

import django.db.models.deletion
from django.db import migrations, models


def index_existing(apps, schema_editor):
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    AuditSubject = apps.get_model("accounts", "AuditSubject")
    batch = []
    for entry_id, rid in (
        AuditEntry.objects.exclude(resident_id=None).values_list("id", "resident_id").iterator()
    ):
        batch.append(AuditSubject(entry_id=entry_id, resident_id=rid))
        if len(batch) >= 2000:
            AuditSubject.objects.bulk_create(batch)
            batch = []
    AuditSubject.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_audit_head_signature"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditSubject",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("resident_id", models.BigIntegerField()),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="subjects",
                        to="accounts.auditentry",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["resident_id", "-entry"], name="auditsubject_resident")
                ],
            },
        ),
        migrations.RunPython(index_existing, migrations.RunPython.noop),
    ]
