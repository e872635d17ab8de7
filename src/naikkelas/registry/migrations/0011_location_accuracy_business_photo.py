import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import naikkelas.core.models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_start_month_rule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="business",
            name="location_accuracy",
            field=models.FloatField(blank=True, null=True, verbose_name="location accuracy (m)"),
        ),
        migrations.CreateModel(
            name="BusinessPhoto",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("image", models.FileField(upload_to=naikkelas.core.models.photo_path)),
                ("thumbnail", models.FileField(upload_to=naikkelas.core.models.photo_path)),
                ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "business",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="registry.business",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "business photo",
                "verbose_name_plural": "business photos",
                "ordering": ["id"],
            },
        ),
    ]
