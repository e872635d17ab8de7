"""Triggers that mark the roll-ups stale on any write a figure depends on (models.Change).

PostgreSQL: one statement-level trigger per table, appending a row per statement; rows,
not one counter, so that concurrent writers never wait on each other. SQLite has only
row-level triggers and one writer at a time, so there a single row is enough. A row is
inserted here too, so that the first reader counts what is already in the registry.
"""

from django.db import migrations

TABLES = [
    "regions_region",
    "registry_business",
    "registry_owner",
    "graduation_standing",
    "graduation_graduation",
    "programs_enrolment",
    "programs_referral",
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION monitoring_mark_change() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN "
                "INSERT INTO monitoring_change DEFAULT VALUES; RETURN NULL; END $$"
            )
            for table in TABLES:
                cursor.execute(
                    f"CREATE TRIGGER monitoring_change AFTER INSERT OR UPDATE OR DELETE "
                    f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION monitoring_mark_change()"
                )
            cursor.execute("INSERT INTO monitoring_change DEFAULT VALUES")
        else:
            for table in TABLES:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER monitoring_{table}_{event.lower()} AFTER {event} "
                        f"ON {table} BEGIN "
                        # Not INSERT OR IGNORE: the conflict clause of the statement
                        # that fires the trigger (an upsert) would override it.
                        f"INSERT INTO monitoring_change (id) SELECT 1 "
                        f"WHERE NOT EXISTS (SELECT 1 FROM monitoring_change); END"
                    )
            cursor.execute("INSERT OR IGNORE INTO monitoring_change (id) VALUES (1)")


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS monitoring_change ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS monitoring_mark_change()")
        else:
            for table in TABLES:
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS monitoring_{table}_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_initial"),
        ("registry", "0004_business_merged_into_alter_business_status"),
        ("graduation", "0003_graduation"),
        ("programs", "0001_initial"),
        ("regions", "0002_load_regions"),
    ]

    operations = [migrations.RunPython(create, drop)]
