"""Fewer indexes on the owner and figures tables, which an import adds rows to.

The figures' business index repeats the unique (business, year, basis); the owner's home
kelurahan keeps its plain index, without the LIKE twin no query uses. Dropped by name
(`_indexes`): the model state changes apart.
"""

import django.db.models.deletion
from django.db import migrations, models

from naikkelas.core.migrations._indexes import dropping

DROPPED = [
    ("registry_financialrecord", "business_id"),
    ("registry_owner", "kelurahan_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_load_regions"),
        ("registry", "0006_business_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="financialrecord",
                    name="business",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="financials",
                        to="registry.business",
                    ),
                ),
                migrations.AlterField(
                    model_name="owner",
                    name="kelurahan",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.region",
                        verbose_name="home kelurahan",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(*dropping(DROPPED))],
        ),
        migrations.AddIndex(
            model_name="owner",
            index=models.Index(fields=["kelurahan"], name="owner_kelurahan"),
        ),
    ]
