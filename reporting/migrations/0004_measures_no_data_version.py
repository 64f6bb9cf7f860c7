"""Measures of impact no longer raise a national data version: pages are not cached under one."""

from django.db import migrations

TABLES = ["reporting_measure", "reporting_measure_recommendations", "reporting_measurereading"]


def remove_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
            elif connection.vendor == "sqlite":
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_data_version")


def restore_triggers(apps, schema_editor):
    from importlib import import_module

    import_module("reporting.migrations.0003_measures_raise_data_version").add_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_measures_raise_data_version"),
    ]

    operations = [migrations.RunPython(remove_triggers, restore_triggers)]
