"""Loading a backup's rows in bulk: a few INSERT statements per model, not one per row.

Django's loaddata saves row by row (an UPDATE tried, then an INSERT, and a query for
every natural key), which took 6–7 minutes for 75,000 rows. Here each model's rows are
read with Django's own deserialiser (so every field is converted exactly as loaddata
converts it), each natural key is looked up once, and the rows go in as multi-row
INSERTs of up to BATCH_ROWS rows. The inserts are raw, as loaddata's are: no signals, no
auto_now stamping, every value exactly as backed up.

Models are loaded in the order of data.json, which dumpdata sorts so that a model whose
rows are referred to by natural key comes before the rows that refer to it. Other
foreign keys may point forwards: constraints are deferred and checked once, after the
last row, inside the caller's transaction. Sequences are then moved past the restored
primary keys, so new rows get fresh ones.
"""

import json
from pathlib import Path

from django.core.management.color import no_style
from django.core.serializers import base
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.db import connections

BATCH_ROWS = 2000


class _Deserializer(PythonDeserializer):
    """Django's deserialiser, finding rows named by natural key in memory.

    Every history row and many plan rows name a user by natural key (the username);
    loaddata queried the database for each. Here the first natural key of a model reads
    all that model's rows once (people, groups, permissions: hundreds, not thousands) and
    the rest are found in memory; a key not found there is looked up as Django does, so
    a missing row is reported as loaddata reports it.
    """

    def __init__(self, records, *, using, natural_keys: dict):
        super().__init__(records, using=using)
        self._natural_keys = natural_keys

    def _row_named(self, model, key):
        if model not in self._natural_keys:
            rows = model._default_manager.db_manager(self.using).select_related()
            self._natural_keys[model] = {tuple(row.natural_key()): row for row in rows}
        return self._natural_keys[model].get(tuple(key))

    def _handle_fk_field_node(self, field, field_value):
        model = field.remote_field.model
        row = self._row_named(model, field_value) if isinstance(field_value, list) else None
        if row is None:
            return super()._handle_fk_field_node(field, field_value)
        value = getattr(row, field.remote_field.field_name)
        # As Django's deserialize_fk_value: a primary key that is itself a relation gives its pk.
        return value.pk if model._meta.pk.remote_field else value

    def _handle_m2m_field_node(self, field, field_value):
        model = field.remote_field.model
        values = []
        for value in field_value:
            row = self._row_named(model, value) if isinstance(value, list) else None
            if row is None:
                values += super()._handle_m2m_field_node(field, [value])
            else:
                values.append(row.pk)
        return values


def _records_by_model(data_path: Path) -> dict[str, list[dict]]:
    """The backup's rows grouped by model, the models in the order data.json has them."""
    with data_path.open(encoding="utf-8") as handle:
        records = json.load(handle)
    grouped: dict[str, list[dict]] = {}
    for record in records:
        grouped.setdefault(record["model"], []).append(record)
    return grouped


def _inserted_fields(model, *, with_primary_key: bool):
    return [
        field
        for field in model._meta.local_concrete_fields
        if not field.generated and (with_primary_key or not field.primary_key)
    ]


def _insert(model, objects, fields, using: str) -> None:
    """INSERT `objects` as they are (raw, like loaddata), a batch of rows per statement."""
    if not objects:
        return
    connection = connections[using]
    batch = max(1, min(BATCH_ROWS, connection.ops.bulk_batch_size(fields, objects)))
    manager = model._base_manager.db_manager(using)
    for start in range(0, len(objects), batch):
        manager._insert(objects[start : start + batch], fields=fields, using=using, raw=True)


def _through_rows(model, deserialized, field_name: str):
    """The rows of a many-to-many table, from its parent's rows as dumpdata wrote them."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    source = through._meta.get_field(field.m2m_field_name()).attname
    target = through._meta.get_field(field.m2m_reverse_field_name()).attname
    rows = [
        through(**{source: item.object.pk, target: related})
        for item in deserialized
        for related in item.m2m_data.get(field_name, ())
    ]
    return through, rows


def _load_model(records: list[dict], *, natural_keys: dict, using: str) -> list:
    """Insert one model's rows and their many-to-many rows; returns the models written to."""
    deserializer = _Deserializer(records, using=using, natural_keys=natural_keys)
    written = []
    model = None
    pending: list[base.DeserializedObject] = []

    def flush():
        objects = [item.object for item in pending]
        _insert(model, objects, _inserted_fields(model, with_primary_key=True), using)
        for name in {name for item in pending for name in item.m2m_data}:
            through, rows = _through_rows(model, pending, name)
            _insert(through, rows, _inserted_fields(through, with_primary_key=False), using)
            written.append(through)
        pending.clear()

    for item in deserializer:
        model = type(item.object)
        pending.append(item)
        if len(pending) == BATCH_ROWS:
            flush()
    if pending:
        flush()
    if model is not None:
        written.append(model)
    return written


def load_rows(data_path: Path, *, using: str) -> None:
    """Load data.json into the database, inside the caller's transaction.

    Raises DeserializationError or a database error (IntegrityError for a broken
    reference) if the rows cannot all be loaded; the caller rolls back.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    natural_keys: dict = {}
    written = []
    for records in _records_by_model(data_path).values():
        models = _load_model(records, natural_keys=natural_keys, using=using)
        # Rows named by natural key are read afresh once their own model's rows are in.
        for model in models:
            natural_keys.pop(model, None)
        written += models
    # Every reference checked once, now that every row is in.
    connection.check_constraints(table_names=sorted({model._meta.db_table for model in written}))
    parents = [model for model in dict.fromkeys(written) if not model._meta.auto_created]
    statements = connection.ops.sequence_reset_sql(no_style(), parents)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
