"""Fewer indexes to keep up on the columns an import fills with random keys.

Django's AlterField, taking db_index off source_id, drops every index on the column
that is not a Meta index, the partial unique index of business_source_id_unique
included. So the database side names the indexes it drops (`_indexes`).
"""

from django.db import migrations, models

from naikkelas.core.migrations._indexes import dropping

# (table, column): the index Django named for db_index=True, and its LIKE twin on
# PostgreSQL.
DROPPED = [
    ("registry_business", "source_id"),
    ("registry_owner", "nik_index"),
    ("registry_owner", "phone_index"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_load_regions"),
        ("registry", "0004_business_merged_into_alter_business_status"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="business",
                    name="source_id",
                    field=models.CharField(
                        blank=True,
                        help_text="The SIDT id_data_badan_usaha of an imported record.",
                        max_length=64,
                        verbose_name="source key",
                    ),
                ),
                migrations.AlterField(
                    model_name="owner",
                    name="nik_index",
                    field=models.CharField(blank=True, editable=False, max_length=64),
                ),
                migrations.AlterField(
                    model_name="owner",
                    name="phone_index",
                    field=models.CharField(blank=True, editable=False, max_length=64),
                ),
            ],
            database_operations=[migrations.RunPython(*dropping(DROPPED))],
        ),
        migrations.AddIndex(
            model_name="owner",
            index=models.Index(fields=["nik_index"], name="owner_nik_index"),
        ),
        migrations.AddIndex(
            model_name="owner",
            index=models.Index(fields=["phone_index"], name="owner_phone_index"),
        ),
    ]
