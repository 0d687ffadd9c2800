from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0003_reading_without_voicing"),
    ]

    operations = [
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
