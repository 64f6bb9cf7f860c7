"""Making an uploaded plan's changes through the domain services, all rows or none.

Each row creates its action or updates the one with the same recommendation and wording;
a new due date is a revision with a reason, a cancellation carries its reason, and an
action completed or verified in the region's own tracker is recorded with its dates (and
its verifier), as done before this service. The
same run checks and previews an upload (rolled back) and imports it (kept), so whatever the
services refuse shows in the preview, against its row.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import services
from ..models import OPEN_STATUSES, ActionStatus
from . import columns as c
from .files import read_sheet
from .rows import PlanRow, check_rows

# Which column a service's refusal belongs to, by the field it names.
FIELD_COLUMNS = {
    "owner": c.OWNER,
    "unit": c.UNIT,
    "description": c.ACTION,
    "due_date": c.DUE_DATE,
    "new_due_date": c.DUE_DATE,
    "start_date": c.START_DATE,
    "success_measure": c.SUCCESS_MEASURE,
    "status": c.STATUS,
    "narrative": c.LATEST_UPDATE,
    "reason": c.LATEST_UPDATE,
    "completed_on": c.COMPLETED_ON,
    "verified_on": c.VERIFIED_ON,
    "verified_by": c.VERIFIED_BY,
}


@dataclass
class PlanImport:
    filename: str
    rows: list[PlanRow] = field(default_factory=list)
    problem: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        """(row number, column, message) for every error, in row order."""
        return [(row.number, column, message) for row in self.rows for column, message in row.errors]

    @property
    def is_valid(self) -> bool:
        return not self.problem and not self.errors and bool(self.rows)


class _RollBack(Exception):
    pass


def import_plan(data: bytes, filename: str, *, by, commit: bool) -> PlanImport:
    """Check (``commit=False``) or import (``commit=True``) an uploaded plan. Nothing is written
    unless every row is valid and ``commit`` is set."""
    result = PlanImport(filename)
    try:
        sheet = read_sheet(data, filename)
    except c.CellError as exc:
        result.problem = str(exc)
        return result
    if not sheet.rows:
        result.problem = "The spreadsheet has no rows of actions under its headings."
        return result
    result.rows = check_rows(sheet)
    try:
        with transaction.atomic():
            for row in result.rows:
                if not row.errors:
                    _apply_in_savepoint(row, by=by, source=filename, result=result)
            if not commit or result.errors:
                raise _RollBack
    except _RollBack:
        pass
    return result


def _apply_in_savepoint(row: PlanRow, *, by, source: str, result: PlanImport):
    try:
        with transaction.atomic():
            outcome = apply_row(row, by=by, source=source)
    except ValidationError as exc:
        for column, message in _messages(exc):
            row.error(column, message)
        return
    setattr(result, outcome, getattr(result, outcome) + 1)


def _messages(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for message in errors:
                yield FIELD_COLUMNS.get(name, c.ACTION), message
    else:
        for message in exc.messages:
            yield c.STATUS, message


def apply_row(row: PlanRow, *, by, source: str) -> str:
    """Make one row's changes; answers 'created', 'updated' or 'unchanged'."""
    reason = f"Changed by the spreadsheet import ({source}, row {row.number})."
    action = row.existing
    if action is None:
        action = services.create_action(
            recommendation=row.recommendation,
            description=row.description,
            owner=row.owner,
            unit=row.unit,
            due_date=row.due_date,
            created_by=by,
            success_measure=row.success_measure,
            start_date=row.start_date,
        )
        outcome = "created"
    else:
        outcome = "unchanged"
        if (action.owner, action.unit, action.success_measure, action.start_date) != (
            row.owner,
            row.unit,
            row.success_measure,
            row.start_date,
        ):
            details = {"owner": row.owner, "success_measure": row.success_measure, "start_date": row.start_date}
            if row.unit != action.unit:
                # The service re-checks the owner against the new unit.
                details["unit"] = row.unit
            action = services.update_action_details(
                action=action, by=by, expected_version=action.version, description=action.description, **details
            )
            outcome = "updated"
        if action.due_date != row.due_date:
            action = services.revise_due_date(
                action=action, new_due_date=row.due_date, reason=reason, by=by, expected_version=action.version
            )
            outcome = "updated"
    changed = _apply_status(action, row, by=by, source=source)
    return "updated" if changed and outcome == "unchanged" else outcome


def _latest_update(action) -> str:
    updates = sorted(action.updates.all(), key=lambda update: (update.created_at, update.pk))
    return updates[-1].narrative if updates else ""


def _apply_status(action, row: PlanRow, *, by, source: str) -> bool:
    """Bring the action to the row's status and latest update; False when nothing changed."""
    status, update = row.status, row.latest_update
    if status == ActionStatus.COMPLETED and action.status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
        return False
    if status == ActionStatus.VERIFIED and action.status == ActionStatus.COMPLETED:
        _record_verification(action, row, by=by, where=_imported_from(row, source))
        return True
    if (
        status == action.status
        and (status == ActionStatus.VERIFIED or update == _latest_update(action))
        and (not row.self_rag or row.self_rag == action.self_rag)
    ):
        return False
    if status in OPEN_STATUSES:
        services.log_progress(
            action=action,
            author=by,
            narrative=update or f"Status set to {c.STATUS_LABELS[status].lower()} by the spreadsheet import.",
            status=status,
            rag=row.self_rag,
            expected_version=action.version,
        )
    elif status == ActionStatus.CANCELLED:
        # An exported cancelled action's latest update is its timeline entry "Cancelled: <reason>".
        reason = update.removeprefix("Cancelled: ")
        services.cancel_action(action=action, by=by, reason=reason, expected_version=action.version)
    else:
        _record_completion(action, row, by=by, source=source)
    return True


# The timeline entries services.record_imported_completion and record_imported_verification
# write; an exported row carries one as its latest update, and importing that row again names
# the same source, so the file round-trips.
IMPORTED_COMPLETION = re.compile(r"^Completed, as recorded in (?P<source>.+)\. To be verified here against evidence\.$")
IMPORTED_VERIFICATION = re.compile(r"^Verified before this service \(imported from (?P<source>.+)\), by .+ on .+\.$")


def _exported_source(row: PlanRow) -> str:
    """For a row exported from this service, the source its timeline already names; else ""."""
    exported = IMPORTED_VERIFICATION.match(row.latest_update) or IMPORTED_COMPLETION.match(row.latest_update)
    return exported.group("source") if exported else ""


def _imported_from(row: PlanRow, source: str) -> str:
    """The tracker and row a completion or verification comes from."""
    return _exported_source(row) or f"{source}, row {row.number}"


def _record_completion(action, row: PlanRow, *, by, source: str):
    """A row completed (or verified) in the old tracker: its completion, and its verification,
    are recorded with their dates, naming the file and row they came from."""
    if action.status not in OPEN_STATUSES:
        raise ValidationError({"status": "This action is already closed in the service: it is left as it is."})
    if not _exported_source(row) and row.latest_update and row.latest_update != _latest_update(action):
        services.log_progress(
            action=action, author=by, narrative=row.latest_update, status=action.status, rag=row.self_rag
        )
    where = _imported_from(row, source)
    action = services.record_imported_completion(
        action=action, by=by, completed_on=row.completed_on, source=where, expected_version=action.version
    )
    if row.status == ActionStatus.VERIFIED:
        _record_verification(action, row, by=by, where=where)


def _record_verification(action, row: PlanRow, *, by, where: str):
    services.record_imported_verification(
        action=action,
        by=by,
        verified_by=row.verified_by,
        verified_on=row.verified_on,
        source=where,
        expected_version=action.version,
    )
