"""Figures versions: a number that changes whenever an inspection's dashboard figures may change.

The dashboards cache each inspection's part of their figures (recommendations.selectors.
dashboard_parts) under that inspection's figures version. Triggers in the database raise it
in the same transaction as every write that can change the part, whatever makes the write
(the services, the admin, an import, bulk_create, QuerySet.update, a restore): WRITES below
is the one list of which writes raise which version, and migrations install it.

There is one row for each inspection and unit whose actions, plans or addressees were
written, so two writes by different units (two PDUs on a regional inspection, HMPPS and a
PDU) never wait on each other's row, and no row is raised by every write in the country.
Rows are never deleted: a unit with a row on an inspection may have figures there, and a
region's dashboard finds the inspections its units have actions on from them.
An inspection's version is the sum and count of its rows' numbers. A raised row takes a new
random number rather than the next one: a number a rolled-back transaction used (and perhaps
cached figures under) is then never met again.
"""

from django.db import models

# The statements below are built from this module's constants alone (no value from outside),
# so string formatting cannot carry anything in: S608 is answered once for the module.
# ruff: noqa: S608

TABLE = "recommendations_figuresversion"
# Each number is below 2**48: the sum of thousands of them stays within a 64-bit integer.
NUMBER_RANGE = 2**48

# Every table the cached parts are read from, with the (inspection, unit) pairs a row of it
# counts for, as a SELECT of `inspection` and `unit` over the row ({row}: NEW or OLD). An
# update raises the pairs of the row before and after it, so an action moved to another
# recommendation or unit changes both inspections' parts.
WRITES = {
    "recommendations_action": (
        "SELECT r.inspection_id AS inspection, {row}.unit_id AS unit "
        "FROM recommendations_recommendation r WHERE r.id = {row}.recommendation_id"
    ),
    "recommendations_evidence": (
        "SELECT r.inspection_id AS inspection, a.unit_id AS unit FROM recommendations_action a "
        "JOIN recommendations_recommendation r ON r.id = a.recommendation_id WHERE a.id = {row}.action_id"
    ),
    "recommendations_responseplan": "SELECT {row}.inspection_id AS inspection, {row}.unit_id AS unit",
    "recommendations_recommendation": "SELECT {row}.inspection_id AS inspection, {row}.addressed_to_id AS unit",
    "recommendations_recommendation_addressees": (
        "SELECT r.inspection_id AS inspection, {row}.orgunit_id AS unit "
        "FROM recommendations_recommendation r WHERE r.id = {row}.recommendation_id"
    ),
}
EVENTS = ("INSERT", "UPDATE", "DELETE")
# Every pair WRITES gives for the rows there are, and each inspection with its own unit.
EVERY_PAIR = (
    "SELECT r.inspection_id AS inspection, a.unit_id AS unit FROM recommendations_action a "
    "JOIN recommendations_recommendation r ON r.id = a.recommendation_id "
    "UNION SELECT inspection_id, unit_id FROM recommendations_responseplan "
    "UNION SELECT inspection_id, addressed_to_id FROM recommendations_recommendation "
    "UNION SELECT r.inspection_id, ra.orgunit_id FROM recommendations_recommendation_addressees ra "
    "JOIN recommendations_recommendation r ON r.id = ra.recommendation_id "
    "UNION SELECT id, unit_id FROM recommendations_inspection"
)


def _trigger_name(table: str, event: str = "") -> str:
    return f"{table}_{event.lower()}_raises_figures" if event else f"{table}_raises_figures"


def _postgresql_statements() -> list[str]:
    raise_pair = (
        "CREATE OR REPLACE FUNCTION recommendations_raise_figures(inspection bigint, unit bigint) RETURNS void AS $$ "
        "BEGIN IF inspection IS NULL OR unit IS NULL THEN RETURN; END IF; "
        f"INSERT INTO {TABLE} (inspection_id, unit_pk, number) "
        f"VALUES (inspection, unit, floor(random() * {NUMBER_RANGE})::bigint) "
        "ON CONFLICT (inspection_id, unit_pk) DO UPDATE SET number = EXCLUDED.number; "
        "END; $$ LANGUAGE plpgsql"
    )
    statements = [raise_pair]
    for table, pairs in WRITES.items():
        function = f"{table}_raises_figures"

        def perform(row, pairs=pairs):
            select = pairs.format(row=row)
            return f"PERFORM recommendations_raise_figures(pair.inspection, pair.unit) FROM ({select}) AS pair;"

        statements += [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN {perform('OLD')} END IF; "
            f"IF TG_OP <> 'DELETE' THEN {perform('NEW')} END IF; "
            "RETURN NULL; END; $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {_trigger_name(table)} AFTER {' OR '.join(EVENTS)} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        ]
    return statements


def _sqlite_raise(pairs: str, row: str) -> str:
    # No UPSERT: an INSERT OR IGNORE that fires the trigger (Django's many-to-many add) would
    # turn its conflict into "ignore" and leave the version as it was.
    select = pairs.format(row=row)
    number = f"abs(random() % {NUMBER_RANGE})"
    return (
        f"UPDATE {TABLE} SET number = {number} WHERE EXISTS (SELECT 1 FROM ({select}) AS pair "
        f"WHERE pair.inspection = {TABLE}.inspection_id AND pair.unit = {TABLE}.unit_pk); "
        f"INSERT INTO {TABLE} (inspection_id, unit_pk, number) SELECT pair.inspection, pair.unit, {number} "
        f"FROM ({select}) AS pair WHERE pair.inspection IS NOT NULL AND pair.unit IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {TABLE} v WHERE v.inspection_id = pair.inspection AND v.unit_pk = pair.unit);"
    )


def _sqlite_statements() -> list[str]:
    statements = []
    for table, pairs in WRITES.items():
        for event in EVENTS:
            rows = {"INSERT": ["NEW"], "UPDATE": ["OLD", "NEW"], "DELETE": ["OLD"]}[event]
            body = " ".join(_sqlite_raise(pairs, row) for row in rows)
            statements.append(f"CREATE TRIGGER {_trigger_name(table, event)} AFTER {event} ON {table} BEGIN {body} END")
    return statements


def install_triggers(connection) -> None:
    """Install (or replace) the triggers WRITES describes, and give every inspection a version."""
    remove_triggers(connection)
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError("Figures versions need PostgreSQL or SQLite triggers.")
    statements = {"postgresql": _postgresql_statements, "sqlite": _sqlite_statements}[connection.vendor]()
    random_number = {
        "postgresql": f"floor(random() * {NUMBER_RANGE})::bigint",
        "sqlite": f"abs(random() % {NUMBER_RANGE})",
    }
    # The rows the triggers would have written for what was there before them, and one for
    # each inspection's own unit: a version of their own, never met elsewhere.
    statements.append(
        f"INSERT INTO {TABLE} (inspection_id, unit_pk, number) "
        f"SELECT pair.inspection, pair.unit, {random_number[connection.vendor]} FROM ({EVERY_PAIR}) AS pair "
        f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE} v WHERE v.inspection_id = pair.inspection AND v.unit_pk = pair.unit)"
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def remove_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for table in WRITES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table)} ON {table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {table}_raises_figures()")
            else:
                for event in EVENTS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table, event)}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS recommendations_raise_figures(bigint, bigint)")


class FiguresVersion(models.Model):
    """One inspection's figures version for one unit: written only by the triggers (see above)."""

    inspection = models.ForeignKey(
        "Inspection",
        # No constraint and no cascade: the triggers write rows in any order, and a row left
        # behind by a deleted inspection is never read.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="figures_versions",
    )
    unit_pk = models.BigIntegerField()
    number = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "unit_pk"], name="figuresversion_one_per_unit")]

    def __str__(self):
        return f"Inspection {self.inspection_id}, unit {self.unit_pk}: {self.number}"
