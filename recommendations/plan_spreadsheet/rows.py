"""Each row of an uploaded plan, checked cell by cell, with its errors in plain words."""

from dataclasses import dataclass, field
from datetime import date

from ..models import Action, ActionStatus, Inspection, Recommendation, User
from ..report_import.matching import UnitMatcher
from . import columns as c
from .columns import CellError
from .files import Sheet


@dataclass
class PlanRow:
    number: int
    cells: dict
    errors: list[tuple[str, str]] = field(default_factory=list)
    recommendation: Recommendation | None = None
    existing: Action | None = None
    description: str = ""
    success_measure: str = ""
    owner: User | None = None
    unit: object = None
    start_date: date | None = None
    due_date: date | None = None
    status: str = ActionStatus.NOT_STARTED
    self_rag: str = ""
    latest_update: str = ""
    completed_on: date | None = None
    verified_on: date | None = None
    verified_by: User | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        """The row's inspection and recommendation, as found or as written."""
        if self.recommendation:
            return f"{self.recommendation.inspection}, recommendation {self.recommendation.number}"
        return ", ".join(c.text(self.cells.get(column)) for column in (c.INSPECTION, c.RECOMMENDATION))

    def error(self, column: str, message: str):
        self.errors.append((column, message))


class Lookups:
    """What the rows name, read once for the whole file (a constant number of queries)."""

    def __init__(self):
        self.inspections = {}
        for inspection in Inspection.objects.all():
            for key in (str(inspection), inspection.title, str(inspection.pk)):
                self.inspections.setdefault(key.casefold(), []).append(inspection)
        self.recommendations = {
            (rec.inspection_id, rec.number): rec
            for rec in Recommendation.objects.select_related("addressed_to", "inspection")
        }
        # Everyone, also those who have left: a verifier in an old tracker may have gone since.
        self.users_by_email, self.users_by_name = {}, {}
        for user in User.objects.all():
            if user.email:
                self.users_by_email.setdefault(user.email.casefold(), []).append(user)
            for name in {user.get_full_name(), user.username} - {""}:
                self.users_by_name.setdefault(name.casefold(), []).append(user)
        self.units = UnitMatcher()
        self.actions = {}
        for action in Action.objects.select_related("recommendation").prefetch_related("updates"):
            self.actions[(action.recommendation_id, " ".join(action.description.split()))] = action

    def inspection(self, value) -> Inspection:
        name = c.text(value)
        if not name:
            raise CellError("Enter the inspection.")
        found = {i.pk: i for i in self.inspections.get(name.casefold(), [])}
        if not found:
            raise CellError(f"No inspection is called “{name}”: use its title as the service shows it.")
        if len(found) > 1:
            raise CellError(f"{len(found)} inspections are called “{name}”: add the year, as in “{name} (2023)”.")
        return next(iter(found.values()))

    def person(self, value, column: str, *, current: bool = True) -> User | None:
        """The person a cell names by email address or full name; ``current``: only someone who
        still has access (an owner), not someone who has left (a past verifier)."""
        name = c.text(value)
        if not name:
            return None
        if "@" in name:
            found = self.users_by_email.get(name.casefold(), [])
            missing = f"No one in the service has the email address “{name}”."
        else:
            found = self.users_by_name.get(" ".join(name.split()).casefold(), [])
            missing = f"No one in the service is called “{name}”: check the spelling or use their email address."
        if current:
            found = [user for user in found if user.is_active]
        if not found:
            raise CellError(missing)
        if len(found) > 1:
            raise CellError(
                f"{len(found)} people are called “{name}”: use the {column.lower()}'s email address instead."
            )
        return found[0]


def check_rows(sheet: Sheet, lookups: Lookups | None = None) -> list[PlanRow]:
    lookups = lookups or Lookups()
    rows, seen = [], {}
    for number, cells in sheet.rows:
        row = PlanRow(number, cells)
        _read_cells(row, lookups)
        if row.recommendation and row.description:
            key = (row.recommendation.pk, " ".join(row.description.split()))
            if key in seen:
                row.error(c.ACTION, f"Row {seen[key]} already has this action for this recommendation.")
            seen.setdefault(key, number)
            row.existing = lookups.actions.get(key)
        rows.append(row)
    return rows


def _read_cells(row: PlanRow, lookups: Lookups):
    cells = row.cells

    def read(column, reader, *args, **kwargs):
        try:
            return reader(cells.get(column), *args, **kwargs)
        except CellError as exc:
            row.error(column, str(exc))
            return None

    inspection = read(c.INSPECTION, lookups.inspection)
    number = read(c.RECOMMENDATION, c.read_number, c.RECOMMENDATION)
    if inspection and number:
        row.recommendation = lookups.recommendations.get((inspection.pk, number))
        if row.recommendation is None:
            row.error(c.RECOMMENDATION, f"“{inspection}” has no recommendation {number}.")
    row.description = c.text(cells.get(c.ACTION))
    if not row.description:
        row.error(c.ACTION, "Enter the action: what will be done.")
    row.success_measure = c.text(cells.get(c.SUCCESS_MEASURE))
    row.owner = read(c.OWNER, lookups.person, c.OWNER)
    unit_name = c.text(cells.get(c.UNIT))
    if unit_name:
        row.unit = lookups.units.find(unit_name)
        if row.unit is None:
            row.error(c.UNIT, f"No unit is called “{unit_name}”: use a unit's name or short name.")
    elif row.recommendation:
        row.unit = row.recommendation.addressed_to
    row.start_date = read(c.START_DATE, c.read_date, c.START_DATE)
    row.due_date = read(c.DUE_DATE, c.read_date, c.DUE_DATE)
    if row.due_date is None and not any(column == c.DUE_DATE for column, _ in row.errors):
        row.error(c.DUE_DATE, "Enter the due date.")
    row.status = read(c.STATUS, c.read_status) or ActionStatus.NOT_STARTED
    row.self_rag = read(c.SELF_RAG, c.read_rag) or ""
    row.latest_update = c.text(cells.get(c.LATEST_UPDATE))
    row.completed_on = read(c.COMPLETED_ON, c.read_date, c.COMPLETED_ON)
    row.verified_on = read(c.VERIFIED_ON, c.read_date, c.VERIFIED_ON)
    # A verification recorded in the old tracker is kept, by whom it was made: someone known
    # to the service (an account of someone who has left will do).
    row.verified_by = read(c.VERIFIED_BY, lookups.person, c.VERIFIED_BY, current=False)
    _check_stamps(row)


def _check_stamps(row: PlanRow):
    """What each status needs: a completion date, a verification date and verifier, a reason to cancel."""
    done = row.status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED)
    if done and row.completed_on is None:
        row.error(c.COMPLETED_ON, "Enter the date the action was completed.")
    if row.status == ActionStatus.VERIFIED:
        if row.verified_on is None:
            row.error(c.VERIFIED_ON, "Enter the date the action was verified.")
        if row.verified_by is None and not any(column == c.VERIFIED_BY for column, _ in row.errors):
            row.error(c.VERIFIED_BY, "Enter who verified the action (email address or full name).")
        if row.completed_on and row.verified_on and row.verified_on < row.completed_on:
            row.error(c.VERIFIED_ON, "The action cannot have been verified before it was completed.")
        row.notes.append(
            "Imported as verified before this service, by whom and when the row says: its evidence stays "
            "in the old tracker."
        )
    elif row.verified_on or c.text(row.cells.get(c.VERIFIED_BY)):
        row.error(c.STATUS, "The row says who verified the action, so its status must be Verified.")
    if not done and row.completed_on:
        row.error(c.STATUS, "The row gives a completion date, so its status must be Completed or Verified.")
    if row.status == ActionStatus.CANCELLED and not row.latest_update:
        row.error(c.LATEST_UPDATE, "Enter why the action was cancelled.")
    if row.start_date and row.due_date and row.due_date < row.start_date:
        row.error(c.DUE_DATE, "The due date must be on or after the start date.")
