"""FormFill and Signature belong to counter now (the visit's app). Their tables are renamed
here, rows kept; counter/migrations/0002 takes them over in Django's state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("printing", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("FormFill", "counter_formfill"),
                migrations.AlterModelTable("Signature", "counter_signature"),
            ],
            state_operations=[
                migrations.DeleteModel("FormFill"),
                migrations.DeleteModel("Signature"),
            ],
        )
    ]
