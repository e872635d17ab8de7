"""The audit actor's index holds set values only (`core.indexes.of_set_values`):
command-line and system work has no actor. The plain index is dropped by name
(`_indexes`): the model state changes apart."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from naikkelas.core.migrations._indexes import dropping

DROPPED = [("core_auditentry", "actor_id")]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name="actor",
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
            model_name="auditentry",
            index=models.Index(
                condition=models.Q(("actor__isnull", False)), fields=["actor"], name="audit_actor"
            ),
        ),
    ]
