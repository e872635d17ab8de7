import django.db.models.deletion
from django.db import migrations, models

import naikkelas.core.models


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="latitude",
            field=models.DecimalField(
                blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="latitude"
            ),
        ),
        migrations.AddField(
            model_name="complaint",
            name="location_accuracy",
            field=models.FloatField(blank=True, null=True, verbose_name="location accuracy (m)"),
        ),
        migrations.AddField(
            model_name="complaint",
            name="longitude",
            field=models.DecimalField(
                blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="longitude"
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="latitude",
            field=models.DecimalField(
                blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="latitude"
            ),
        ),
        migrations.AddField(
            model_name="visit",
            name="location_accuracy",
            field=models.FloatField(blank=True, null=True, verbose_name="location accuracy (m)"),
        ),
        migrations.AddField(
            model_name="visit",
            name="longitude",
            field=models.DecimalField(
                blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="longitude"
            ),
        ),
        migrations.CreateModel(
            name="ComplaintPhoto",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "image",
                    models.FileField(upload_to=naikkelas.core.models.photo_path),
                ),
                (
                    "thumbnail",
                    models.FileField(upload_to=naikkelas.core.models.photo_path),
                ),
                ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "complaint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="engagement.complaint",
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
            },
        ),
    ]
