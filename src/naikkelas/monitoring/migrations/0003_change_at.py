"""The time of each write the roll-ups do not count yet (models.Change.at).

The figures are exact up to the first write their refresh did not count; readers show
that moment ("data per 10.31 WIB") rather than the time of the refresh, which after a
quiet night would make figures that are still exact look hours old. The time is the
write's statement's (PostgreSQL's clock_timestamp(), SQLite's 'now'), never later than
its commit, so the moment shown is never later than the figures really are.

PostgreSQL: a column default, which the statement-level triggers' `DEFAULT VALUES`
fills. SQLite cannot add a column with a non-constant default, so its triggers (one
row at most, the first write's) are made again to set it.
"""

from django.db import migrations, models

# The tables of 0002's triggers.
TABLES = [
    "regions_region",
    "registry_business",
    "registry_owner",
    "graduation_standing",
    "graduation_graduation",
    "programs_enrolment",
    "programs_referral",
]
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"


def _sqlite_triggers(cursor, with_time: bool) -> None:
    columns, values = ("(id, at)", f"1, {SQLITE_NOW}") if with_time else ("(id)", "1")
    for table in TABLES:
        for event in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER IF EXISTS monitoring_{table}_{event}")
            cursor.execute(
                f"CREATE TRIGGER monitoring_{table}_{event} AFTER {event.upper()} "
                f"ON {table} BEGIN "
                # Not INSERT OR IGNORE: the conflict clause of the statement that fires
                # the trigger (an upsert) would override it.
                f"INSERT INTO monitoring_change {columns} SELECT {values} "
                f"WHERE NOT EXISTS (SELECT 1 FROM monitoring_change); END"
            )


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE monitoring_change ADD COLUMN at timestamp with time zone "
                "NOT NULL DEFAULT clock_timestamp()"
            )
        else:
            cursor.execute("ALTER TABLE monitoring_change ADD COLUMN at datetime NULL")
            cursor.execute(f"UPDATE monitoring_change SET at = {SQLITE_NOW}")
            _sqlite_triggers(cursor, with_time=True)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            _sqlite_triggers(cursor, with_time=False)
        cursor.execute("ALTER TABLE monitoring_change DROP COLUMN at")


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_change_triggers")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.AddField(model_name="change", name="at", field=models.DateTimeField())
            ],
        )
    ]
