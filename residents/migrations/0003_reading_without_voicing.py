from django.db import migrations, models

from lib.searchkey import seion_key

BATCH = 5000


def fill_seion_keys(apps, schema_editor):
    """Existing residents get the folded reading keys from their kana keys (no stored text
    changes). Before the indexes are built, so they are built once over filled rows."""
    Resident = apps.get_model("residents", "Resident")
    rows = Resident.objects.order_by("pk").values_list("pk", "kana_key", "kana_given_key")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        changed = [
            Resident(pk=pk, kana_seion_key=seion_key(k), kana_given_seion_key=seion_key(g))
            for pk, k, g in batch
        ]
        Resident.objects.bulk_update(changed, ["kana_seion_key", "kana_given_seion_key"])
        last = batch[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0002_search_key_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="resident",
            name="kana_given_seion_key",
            field=models.CharField(default="", max_length=100),
        ),
        migrations.AddField(
            model_name="resident",
            name="kana_seion_key",
            field=models.CharField(default="", max_length=100),
        ),
        migrations.RunPython(fill_seion_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(
                fields=["kana_seion_key", "kana_key"],
                name="resident_kana_seion_key",
                opclasses=["text_pattern_ops", "text_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(
                fields=["kana_given_seion_key", "kana_key"],
                name="resident_kana_given_seion_key",
                opclasses=["text_pattern_ops", "text_pattern_ops"],
            ),
        ),
    ]
