from django.db import migrations, models


def create_default(apps, schema_editor):
    # Every row that existed before tenants belongs to this one (each app's tenant column
    # defaults to it): a single-city install goes on as before, naming no tenant.
    Tenant = apps.get_model("tenants", "Tenant")
    Tenant.objects.using(schema_editor.connection.alias).get_or_create(
        code="default", defaults={"number": 0}
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Tenant",
            fields=[
                (
                    "code",
                    models.SlugField(
                        max_length=40,
                        primary_key=True,
                        serialize=False,
                        verbose_name="団体コード名",
                    ),
                ),
                ("number", models.PositiveIntegerField(unique=True)),
                ("name", models.CharField(blank=True, max_length=60, verbose_name="市区町村名")),
                ("pref", models.CharField(blank=True, max_length=10, verbose_name="都道府県")),
                (
                    "lg_code",
                    models.CharField(
                        blank=True, max_length=6, verbose_name="全国地方公共団体コード"
                    ),
                ),
                (
                    "pack",
                    models.CharField(blank=True, max_length=500, verbose_name="カタログパック"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"ordering": ["number"]},
        ),
        migrations.RunPython(create_default, migrations.RunPython.noop),
    ]
