"""FormFill and Signature, moved from printing with their rows: printing/migrations/0002 renamed
the tables to counter's names, so this only records the models in counter's state. The
content types move too, so permissions given on them stay given."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("formfill", "signature")


def move_content_types(apps, schema_editor, old="printing", new="counter"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model__in=MOVED).exists():
        ContentType.objects.filter(app_label=old, model__in=MOVED).update(app_label=new)


def back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="counter", new="printing")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("counter", "0001_initial"),
        ("printing", "0002_signature_formfill_to_counter"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="FormFill",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("form", models.CharField(max_length=60, verbose_name="様式")),
                        ("procedure", models.CharField(max_length=60, verbose_name="手続き")),
                        ("person", models.CharField(blank=True, max_length=20)),
                        ("prefilled", models.PositiveSmallIntegerField(verbose_name="記入済み")),
                        ("to_write", models.PositiveSmallIntegerField(verbose_name="要記入")),
                        ("signatures", models.PositiveSmallIntegerField(verbose_name="署名")),
                        ("order", models.PositiveSmallIntegerField(default=0)),
                        (
                            "packet",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="fills",
                                to="counter.packet",
                            ),
                        ),
                    ],
                    options={"ordering": ["packet", "order"]},
                ),
                migrations.CreateModel(
                    name="Signature",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("png", models.BinaryField()),
                        ("strokes", models.JSONField(default=list)),
                        ("signed_at", models.DateTimeField(verbose_name="署名日時")),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "visit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="signatures",
                                to="counter.visit",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-signed_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["visit", "-signed_at"], name="signature_visit_latest"
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, back, elidable=True),
    ]
