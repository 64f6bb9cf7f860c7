"""Measures of impact and their readings raise the data version too.

Pages keep their measures (charts, latest readings, targets) until the data version
changes (recommendations.data_cache), as they keep the plan: a new reading, or a measure
added, changed or tied to a recommendation, must show at once. The triggers call the
function recommendations/0002_data_version installed.
"""

from django.db import migrations

TABLES = ["reporting_measure", "reporting_measure_recommendations", "reporting_measurereading"]
BUMP = "UPDATE recommendations_dataversion SET number = number + 1 WHERE id = 1"


def add_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        statements = [
            f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION recommendations_bump_data_version()"
            for table in TABLES
        ]
    elif connection.vendor == "sqlite":
        statements = [
            f"CREATE TRIGGER {table}_{event.lower()}_data_version AFTER {event} ON {table} BEGIN {BUMP}; END"
            for table in TABLES
            for event in ("INSERT", "UPDATE", "DELETE")
        ]
    else:
        statements = []  # no page part is cached on other databases (recommendations.data_cache)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def remove_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
            elif connection.vendor == "sqlite":
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_data_version")


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0002_data_version"),
        ("reporting", "0002_reading_recorded_at_default"),
    ]

    operations = [migrations.RunPython(add_triggers, remove_triggers)]
