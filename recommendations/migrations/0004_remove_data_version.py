"""No national data version: every write raised one row, so writes anywhere queued on its lock.

Drops the triggers that raised it and its table. Pages are worked out from their queries.
"""

from importlib import import_module

from django.db import migrations

_INSTALLED = import_module("recommendations.migrations.0002_data_version")


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0003_response_plans_and_challenges"),
        # Measures' triggers call the function dropped here: they go first.
        ("reporting", "0004_measures_no_data_version"),
    ]

    operations = [
        migrations.RunPython(_INSTALLED.remove_triggers, _INSTALLED.add_triggers),
        migrations.DeleteModel(name="DataVersion"),
    ]
