"""The home page: the signed-in user's work, grouped by what needs doing."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Q

from .. import scope
from ..models import OPEN_STATUSES, ActionStatus, Inspection, OrgUnit
from .annotations import attach_rag

DUE_SOON_DAYS = 30


@dataclass
class MyWork:
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    awaiting_verification: list = field(default_factory=list)
    returned: list = field(default_factory=list)
    # True when awaiting_verification lists actions for this user to verify, rather
    # than their own completed actions waiting for someone else.
    verifies: bool = False
    next_inspection: dt.date | None = None
    next_inspection_of: object = None  # the unit whose inspection it is
    days_to_next_inspection: int | None = None

    @property
    def is_empty(self):
        return not (self.overdue or self.due_soon or self.awaiting_verification or self.returned)


# What the home page's tables show and sort by, and what the derived RAG reads: the rest
# of each action and its recommendation, inspection and unit is left in the database.
ACTION_ROW_FIELDS = (
    "description",
    "due_date",
    "status",
    "self_rag",
    "returned_at",
    "last_update_at",
    "created_at",
    "recommendation__number",
    "recommendation__inspection__title",
    "unit__name",
    "unit__short_name",
)


def _action_rows(actions, *, today):
    actions = actions.with_has_evidence().select_related("recommendation__inspection", "unit").only(*ACTION_ROW_FIELDS)
    return attach_rag(actions.order_by("due_date", "id"), today=today)


def my_work(*, user, today: dt.date) -> MyWork:
    """Three queries: the user's own actions, those awaiting the user's verification, the user's unit with
    its next inspection.

    A director whose region has no inspection date of its own costs one more: the soonest of its units'.
    """
    work = MyWork()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    # Live actions only: drafts are worked on in their response plan until it is approved.
    owned = scope.actions_visible_to(user).live().filter(owner=user)
    own_rows = _action_rows(
        owned.filter(
            Q(status__in=OPEN_STATUSES, due_date__lte=soon)
            | Q(status__in=OPEN_STATUSES, returned_at__isnull=False)
            | Q(status=ActionStatus.COMPLETED)
        ),
        today=today,
    )
    for action in own_rows:
        if action.status == ActionStatus.COMPLETED:
            work.awaiting_verification.append(action)
            continue
        # Each action is listed once: a returned action stays under "Returned", marked if overdue.
        action.overdue_days = action.days_overdue(today=today)
        if action.returned_at is not None:
            work.returned.append(action)
        elif action.due_date < today:
            work.overdue.append(action)
        elif action.due_date <= soon:
            work.due_soon.append(action)

    if user.is_regional_director:
        work.verifies = True
        work.awaiting_verification = _action_rows(scope.actions_awaiting_verification_by(user).live(), today=today)

    if user.unit_id:
        # The user's unit and the date its next inspection is expected, in one query. The unit
        # is kept on the user, so that the page naming it does not read it again.
        unit = OrgUnit.objects.annotate(latest=Max("inspections__next_inspection_expected")).get(pk=user.unit_id)
        user.unit = unit
        work.next_inspection, work.next_inspection_of = unit.latest, unit
        if work.next_inspection is None and user.is_regional_director:
            # A region is seldom inspected as a whole: its director looks out for the soonest of its units'.
            soonest = (
                Inspection.objects.filter(
                    unit__in=scope.units_in_region(user.unit), next_inspection_expected__gte=today
                )
                .select_related("unit")
                .order_by("next_inspection_expected")
                .first()
            )
            if soonest is not None:
                work.next_inspection, work.next_inspection_of = soonest.next_inspection_expected, soonest.unit
        if work.next_inspection is not None:
            work.days_to_next_inspection = (work.next_inspection - today).days
    return work
