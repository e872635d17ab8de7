"""The NIB is no longer unique (issue 19): OSS issues it to the pelaku usaha, and one NIB
can cover several outlets or activities. A plain index over set values keeps the exact
look-ups (the registration warning, an import's match by NIB and name, the linkage's
pairs sharing a NIB)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_set_key_indexes"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="business", name="business_nib_unique"),
        migrations.AddIndex(
            model_name="business",
            index=models.Index(
                condition=models.Q(("nib", ""), _negated=True),
                fields=["nib"],
                name="business_nib",
            ),
        ),
    ]
