"""Figures versions, raised by triggers on every write that can change an inspection's dashboard figures.

The triggers are those recommendations.models.figures.WRITES lists: a later change to that
list comes with a migration that calls install_triggers again (it replaces what is there).
"""

import django.db.models.deletion
from django.db import migrations, models

from recommendations.models.figures import install_triggers, remove_triggers


def add_triggers(apps, schema_editor):
    install_triggers(schema_editor.connection)


def drop_triggers(apps, schema_editor):
    remove_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0010_user_sessions_ended_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="FiguresVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("unit_pk", models.BigIntegerField()),
                ("number", models.BigIntegerField()),
                (
                    "inspection",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="figures_versions",
                        to="recommendations.inspection",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("inspection", "unit_pk"), name="figuresversion_one_per_unit")
                ],
            },
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
