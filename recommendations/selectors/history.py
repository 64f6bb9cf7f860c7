"""The change history of an action or a recommendation, as a person reads it.

django-simple-history keeps a full copy of a row at every save (who, when, the values).
Here consecutive copies are compared (diff_against) so that each entry says which fields
changed, from what to what, with choices, people and units shown by name.
"""

import datetime as dt
from dataclasses import dataclass, field
from itertools import pairwise

from django.db import models
from django.utils import formats
from django.utils.text import Truncator, capfirst

from ..models import Action, DueDateRevision, Evidence, ProgressUpdate, Recommendation
from ..templatetags.tracker_format import when

# Bookkeeping that changes with every save and says nothing to a reader.
HIDDEN_FIELDS = {"id", "version", "created_at", "updated_at", "last_update_at"}
KIND_LABELS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# The first copy of a row whose history began after it existed (e.g. loaded from a fixture).
FIRST_RECORDED = "First recorded"
EMPTY = "Not set"


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    subject: str
    kind: str
    changes: list[FieldChange] = field(default_factory=list)
    note: str = ""

    @property
    def values_only(self) -> bool:
        """A row's first copy has values, not changes: there is nothing before it to compare."""
        return self.kind in (KIND_LABELS["+"], FIRST_RECORDED)


class _Names:
    """Display names for foreign keys, fetched once per model rather than once per value."""

    def __init__(self):
        self._wanted: dict[type[models.Model], set] = {}
        self._names: dict[tuple[type[models.Model], object], str] = {}

    def want(self, model, pk):
        if pk is not None:
            self._wanted.setdefault(model, set()).add(pk)

    def load(self):
        for model, pks in self._wanted.items():
            for obj in model._base_manager.filter(pk__in=pks):
                self._names[(model, obj.pk)] = str(obj)

    def name(self, model, pk):
        if pk is None:
            return EMPTY
        return self._names.get((model, pk), f"{model._meta.verbose_name} {pk} (since deleted)")


def _tracked_fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS]


def _display(model_field, value, names: _Names) -> str:
    if model_field.choices and value in dict(model_field.flatchoices):
        return str(dict(model_field.flatchoices)[value])
    if value is None or value == "":
        return EMPTY
    if model_field.is_relation:
        return names.name(model_field.related_model, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return when(value)
    if isinstance(value, dt.date):
        return formats.date_format(value, "j F Y")
    if isinstance(model_field, models.FileField):
        return "a file"
    return str(value)


@dataclass
class _Pending:
    record: object
    previous: object | None
    fields: dict[str, models.Field]
    subject: str


def _collect(records, model, subject_for, names: _Names) -> list[_Pending]:
    """Pair each historical record with the previous copy of the same row (None for the first)."""
    fields_ = {f.name: f for f in _tracked_fields(model)}
    by_object: dict[object, list] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(record.id, []).append(record)
        for model_field in fields_.values():
            if model_field.is_relation:
                names.want(model_field.related_model, getattr(record, model_field.attname))
    pending = []
    for copies in by_object.values():
        pending.append(_Pending(copies[0], None, fields_, subject_for(copies[0])))
        pending.extend(_Pending(new, old, fields_, subject_for(new)) for old, new in pairwise(copies))
    return pending


def _changes(item: _Pending, names: _Names) -> list[FieldChange]:
    def label(name):
        return capfirst(item.fields[name].verbose_name)

    if item.previous is None:
        # The first copy: what the row was created (or first recorded) with.
        return [
            FieldChange(label(name), EMPTY, _display(model_field, value, names))
            for name, model_field in item.fields.items()
            if (value := getattr(item.record, model_field.attname)) not in (None, "")
        ]
    delta = item.record.diff_against(item.previous, included_fields=list(item.fields))
    return [
        FieldChange(
            label(change.field),
            _display(item.fields[change.field], change.old, names),
            _display(item.fields[change.field], change.new, names),
        )
        for change in sorted(delta.changes, key=lambda c: list(item.fields).index(c.field))
    ]


def _finish(pending: list[_Pending], names: _Names) -> list[HistoryEntry]:
    entries = []
    for item in pending:
        changes = _changes(item, names)
        if item.record.history_type == "~" and not changes:
            continue  # only bookkeeping changed
        entries.append(
            HistoryEntry(
                when=item.record.history_date,
                who=str(item.record.history_user) if item.record.history_user_id else "The system",
                subject=item.subject,
                kind=FIRST_RECORDED
                if item.previous is None and item.record.history_type == "~"
                else KIND_LABELS.get(item.record.history_type, item.record.history_type),
                changes=changes,
                note=item.record.history_change_reason or "",
            )
        )
    return entries


def _revision_entries(revisions) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            when=revision.revised_at,
            who=str(revision.revised_by),
            subject="Due date",
            kind="Revised",
            changes=[
                FieldChange(
                    "Due date",
                    formats.date_format(revision.previous_due_date, "j F Y"),
                    formats.date_format(revision.new_due_date, "j F Y"),
                )
            ],
            note=f"Reason: {revision.reason}",
        )
        for revision in revisions
    ]


def _newest_first(entries):
    return sorted(entries, key=lambda e: e.when, reverse=True)


def action_history(action: Action) -> list[HistoryEntry]:
    """Every change to the action, its progress updates and its evidence, newest first."""
    names = _Names()
    pending = _collect(
        Action.history.filter(id=action.pk).select_related("history_user"), Action, lambda r: "Action", names
    )
    pending += _collect(
        ProgressUpdate.history.filter(action_id=action.pk).select_related("history_user"),
        ProgressUpdate,
        lambda r: "Progress update",
        names,
    )
    pending += _collect(
        Evidence.history.filter(action_id=action.pk).select_related("history_user"),
        Evidence,
        lambda r: f"Evidence: {r.title}",
        names,
    )
    names.load()
    revisions = DueDateRevision.objects.filter(action=action).select_related("revised_by")
    return _newest_first(_finish(pending, names) + _revision_entries(revisions))


def recommendation_history(recommendation: Recommendation) -> list[HistoryEntry]:
    """Every change to the recommendation (its response included) and to its actions, newest first."""
    names = _Names()
    pending = _collect(
        Recommendation.history.filter(id=recommendation.pk).select_related("history_user"),
        Recommendation,
        lambda r: "Recommendation",
        names,
    )
    pending += _collect(
        Action.history.filter(recommendation_id=recommendation.pk).select_related("history_user"),
        Action,
        lambda r: f"Action: {Truncator(r.description).words(10)}",
        names,
    )
    names.load()
    return _newest_first(_finish(pending, names))
