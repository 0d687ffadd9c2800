from django.db import migrations, models


class Migration(migrations.Migration):
    """The name a terminal claims (X-Madoguchi-Terminal), kept beside the address it came from."""

    dependencies = [
        ("accounts", "0005_audit_subjects"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="terminal_name",
            field=models.CharField(blank=True, max_length=100),
        ),
    ]
