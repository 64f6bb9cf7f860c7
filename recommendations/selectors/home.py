"""The home page: the signed-in user's work, grouped by what needs doing."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Max, Q, Value, When, Window
from django.db.models.functions import RowNumber

from .. import scope
from ..models import OPEN_STATUSES, ActionStatus, Inspection, OrgUnit
from .annotations import attach_rag

DUE_SOON_DAYS = 30
# Each section lists its soonest due, and the page links to the rest on the action plan: a
# director's region can have hundreds of actions waiting for verification.
SHOWN_PER_SECTION = 20
SECTIONS = ("overdue", "due_soon", "awaiting_verification", "returned")


@dataclass
class MyWork:
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    awaiting_verification: list = field(default_factory=list)
    returned: list = field(default_factory=list)
    # True when awaiting_verification lists actions for this user to verify, rather
    # than their own completed actions waiting for someone else.
    verifies: bool = False
    # How many actions each section holds, listed or not.
    totals: dict = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))
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


def _section(*, today: dt.date):
    """The section of My work an action of the user's is listed under: each action in one, and
    a returned action under "returned" however late it is."""
    return Case(
        When(status=ActionStatus.COMPLETED, then=Value("awaiting_verification")),
        When(returned_at__isnull=False, then=Value("returned")),
        When(due_date__lt=today, then=Value("overdue")),
        default=Value("due_soon"),
        output_field=CharField(),
    )


def _first_of_each_section(actions, section):
    """The soonest due SHOWN_PER_SECTION actions of each section, each with its section's total.

    Returned actions are all listed: the plan has no filter to show the rest, and they wait
    on their owner."""
    by_section = {"partition_by": [F("section")]}
    ranked = actions.annotate(
        section=section,
        place=Window(RowNumber(), order_by=[F("due_date").asc(), F("pk").asc()], **by_section),
        section_total=Window(Count("pk"), **by_section),
    )
    return ranked.filter(Q(place__lte=SHOWN_PER_SECTION) | Q(section="returned"))


def my_work(*, user, today: dt.date) -> MyWork:
    """Three queries: the user's own actions, those awaiting the user's verification, the user's unit with
    its next inspection. Each section lists its first SHOWN_PER_SECTION, and counts them all (`totals`).

    A director whose region has no inspection date of its own costs one more: the soonest of its units'.
    """
    work = MyWork()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    # Live actions only: drafts are worked on in their response plan until it is approved.
    owned = scope.actions_visible_to(user).live().filter(owner=user)
    mine = owned.filter(
        Q(status__in=OPEN_STATUSES, due_date__lte=soon)
        | Q(status__in=OPEN_STATUSES, returned_at__isnull=False)
        | Q(status=ActionStatus.COMPLETED)
    )
    if user.is_regional_director:
        # A director's list to verify is the region's, not their own completed actions.
        work.verifies = True
        mine = mine.exclude(status=ActionStatus.COMPLETED)
    for action in _action_rows(_first_of_each_section(mine, _section(today=today)), today=today):
        if action.section != "awaiting_verification":
            action.overdue_days = action.days_overdue(today=today)
        getattr(work, action.section).append(action)
        work.totals[action.section] = action.section_total

    if work.verifies:
        to_verify = scope.actions_awaiting_verification_by(user).live()
        first = _first_of_each_section(to_verify, Value("awaiting_verification", output_field=CharField()))
        work.awaiting_verification = _action_rows(first, today=today)
        if work.awaiting_verification:
            work.totals["awaiting_verification"] = work.awaiting_verification[0].section_total

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
