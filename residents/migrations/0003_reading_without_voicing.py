from django.db import migrations, models

from lib.searchkey import seion_key


def fill_seion_keys(apps, schema_editor):
    """Existing residents get the folded reading keys from their kana keys (no stored text
    changes), before 0004 builds the indexes (PostgreSQL builds none in a transaction that
    has just updated the rows). One pass copies the keys; then one UPDATE per
    distinct key that has a voiced kana, each served by the existing key indexes: names
    repeat, so a city of a million residents needs a small fraction of a million UPDATEs."""
    Resident = apps.get_model("residents", "Resident")
    Resident.objects.update(
        kana_seion_key=models.F("kana_key"), kana_given_seion_key=models.F("kana_given_key")
    )
    for key_field, seion_field in (
        ("kana_key", "kana_seion_key"),
        ("kana_given_key", "kana_given_seion_key"),
    ):
        keys = Resident.objects.values_list(key_field, flat=True).distinct().iterator()
        changed = [(seion_key(k), k) for k in keys if seion_key(k) != k]
        table = schema_editor.quote_name(Resident._meta.db_table)
        sql = (
            f"UPDATE {table} SET {schema_editor.quote_name(seion_field)} = %s"
            f" WHERE {schema_editor.quote_name(key_field)} = %s"
        )
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(sql, changed)


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
    ]
