from django.db import migrations


def create(apps, schema_editor):
    from naikkelas.graduation.defaults import ensure_default_policies

    ensure_default_policies(
        apps.get_model("graduation", "SizePolicy"),
        apps.get_model("graduation", "ReadinessPolicy"),
        apps.get_model("graduation", "ReadinessCriterion"),
    )


class Migration(migrations.Migration):
    dependencies = [("graduation", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
