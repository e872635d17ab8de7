"""What first proposed a pair (an import, a registration), for the queue's filter."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dedup", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="duplicatepair",
            name="found_by",
            field=models.CharField(blank=True, max_length=64, verbose_name="found by"),
        ),
        migrations.AddIndex(
            model_name="duplicatepair",
            index=models.Index(
                condition=models.Q(("found_by", ""), _negated=True),
                fields=["found_by"],
                name="pair_found_by",
            ),
        ),
    ]
