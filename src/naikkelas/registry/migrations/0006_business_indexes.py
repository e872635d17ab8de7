"""Fewer indexes on the business table, which an import adds a row to per business.

The status index and its LIKE twin repeat (status, submitted_at); the kelurahan index
repeats (kelurahan, status), and its LIKE twin is kept under a name of its own; the
name's LIKE twin serves no query (names are searched with icontains). Dropped by name
(`_indexes`): the model state changes apart.
"""

import django.db.models.deletion
from django.db import migrations, models

from naikkelas.core.migrations._indexes import dropping

DROPPED = [
    ("registry_business", "name"),
    ("registry_business", "status"),
    ("registry_business", "kelurahan_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_load_regions"),
        ("registry", "0005_blind_and_source_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="business",
                    name="kelurahan",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="businesses",
                        to="regions.region",
                        verbose_name="kelurahan",
                    ),
                ),
                migrations.AlterField(
                    model_name="business",
                    name="name",
                    field=models.CharField(max_length=200, verbose_name="business name"),
                ),
                migrations.AlterField(
                    model_name="business",
                    name="status",
                    field=models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("returned", "Returned"),
                            ("verified", "Verified"),
                            ("archived", "Archived"),
                            ("merged", "Merged into another record"),
                        ],
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(*dropping(DROPPED))],
        ),
        migrations.AddIndex(
            model_name="business",
            index=models.Index(fields=["name"], name="business_name"),
        ),
        migrations.AddIndex(
            model_name="business",
            index=models.Index(
                fields=["kelurahan"],
                name="business_kelurahan_like",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
    ]
