"""The nullable keys of businesses and figures are indexed over set values only
(`core.indexes.of_set_values`): an import leaves them empty. The plain indexes are
dropped by name (`_indexes`): the model state changes apart, so Django neither drops
nor re-validates the foreign-key constraints."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from naikkelas.core.migrations._indexes import dropping

DROPPED = [
    ("registry_business", "created_by_id"),
    ("registry_business", "merged_into_id"),
    ("registry_business", "owner_account_id"),
    ("registry_business", "sentra_id"),
    ("registry_business", "verified_by_id"),
    ("registry_financialrecord", "recorded_by_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_load_regions"),
        ("registry", "0007_owner_and_figure_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="business",
                    name="created_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="business",
                    name="merged_into",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.business",
                        verbose_name="merged into",
                    ),
                ),
                migrations.AlterField(
                    model_name="business",
                    name="owner_account",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="owned_businesses",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="business",
                    name="sentra",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="members",
                        to="registry.sentra",
                        verbose_name="sentra",
                    ),
                ),
                migrations.AlterField(
                    model_name="business",
                    name="verified_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="financialrecord",
                    name="recorded_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(*dropping(DROPPED))],
        ),
        migrations.AddIndex(
            model_name="business",
            index=models.Index(
                condition=models.Q(("owner_account__isnull", False)),
                fields=["owner_account"],
                name="business_owner_account",
            ),
        ),
        migrations.AddIndex(
            model_name="business",
            index=models.Index(
                condition=models.Q(("sentra__isnull", False)),
                fields=["sentra"],
                name="business_sentra",
            ),
        ),
        migrations.AddIndex(
            model_name="business",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", False)),
                fields=["merged_into"],
                name="business_merged_into",
            ),
        ),
        migrations.AddIndex(
            model_name="business",
            index=models.Index(
                condition=models.Q(("created_by__isnull", False)),
                fields=["created_by"],
                name="business_created_by",
            ),
        ),
        migrations.AddIndex(
            model_name="business",
            index=models.Index(
                condition=models.Q(("verified_by__isnull", False)),
                fields=["verified_by"],
                name="business_verified_by",
            ),
        ),
        migrations.AddIndex(
            model_name="financialrecord",
            index=models.Index(
                condition=models.Q(("recorded_by__isnull", False)),
                fields=["recorded_by"],
                name="financial_recorded_by",
            ),
        ),
    ]
