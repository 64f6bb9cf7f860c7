"""The action plan: the actions a user can see, and the recommendations that have none yet.

The actions are one annotated queryset (`plan_actions`): django-filter narrows it and
django-tables2 sorts and pages it, so every value a row shows, the derived RAG, the
overdue flag and the evidence count included, comes from the database with the page.
Recommendations without an action are a second, small queryset with a section of their
own. Downloads read both as rows (`ActionPlan.rows`), in the plan's order.

Scope comes from recommendations.scope; the filters from recommendations.filters.action_plan.
"""

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from operator import itemgetter

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, NullIf, Trim, TruncDate
from django.db.models.lookups import IsNull

from ..filters.action_plan import NO_ACTION, ActionPlanFilter
from ..models import RAG, Action, ActionStatus, Evidence, Recommendation
from ..models.actions import has_current_evidence, overdue
from ..models.inspections import joint_label
from ..models.rag import derived_rag_expression
from ..scope import Scope

# The plan's own order: newest inspection first, then by recommendation and due date.
DEFAULT_ORDERING = (
    "-recommendation__inspection__published_on",
    "recommendation__inspection_id",
    "recommendation__number",
    "due_date",
    "pk",
)
UNANSWERED_ORDERING = ("-inspection__published_on", "inspection_id", "number")

# Rank for sorting by RAG: worst first, rows without a rating last.
_RAG_RANK = {RAG.RED: 0, RAG.AMBER: 1, RAG.GREEN: 2}
_NO_RAG_RANK = 3


def _rag_rank(column: str):
    return Case(
        *(When(**{column: rag}, then=Value(rank)) for rag, rank in _RAG_RANK.items()),
        default=Value(_NO_RAG_RANK),
        output_field=IntegerField(),
    )


def _status_rank():
    """Statuses in the order work moves through them, so that sorting by status reads naturally."""
    return Case(
        *(When(status=status, then=Value(rank)) for rank, status in enumerate(ActionStatus.values)),
        output_field=IntegerField(),
    )


def _evidence_count():
    current = (
        Evidence.objects.current()
        .filter(action=OuterRef("pk"))
        .order_by()
        .values("action")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(current, output_field=IntegerField()), Value(0))


def plan_actions(*, user=None, today: date, scope: Scope | None = None) -> QuerySet:
    """The live actions in `user`'s scope (every one for None, e.g. an operator's export), with
    what the plan shows of each, in the plan's order. Draft actions, in a response plan awaiting
    sign-off, are shown on that plan's page only.

    Annotations: `rag_derived` (recommendations.models.rag), `is_overdue`, `evidence_count`; and,
    for sorting only, `status_rank`, `self_rag_rank` and `derived_rag_rank`.
    """
    actions = (Action.objects.all() if user is None else (scope or Scope(user)).actions).live()
    return (
        actions.select_related("recommendation__inspection", "recommendation__addressed_to", "owner")
        .annotate(
            rag_derived=derived_rag_expression(today=today, has_evidence=has_current_evidence()),
            is_overdue=Case(
                When(overdue(today=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            evidence_count=_evidence_count(),
            addressee_count=addressee_count("recommendation_id"),
        )
        .alias(
            status_rank=_status_rank(),
            self_rag_rank=_rag_rank("self_rag"),
            derived_rag_rank=_rag_rank("rag_derived"),
        )
        .order_by(*DEFAULT_ORDERING)
    )


def _has_no_live_action():
    """A Recommendation condition: it has no live action yet.

    Asked as "is there a first one?" rather than NOT EXISTS, as has_current_evidence is:
    with response plans in the database, PostgreSQL answered NOT EXISTS by hashing every
    live action in the country (26 ms nationally) to show 20 recommendations; here it looks
    up each recommendation's actions by their index, newest inspections first.
    """
    first = Action.objects.live().filter(recommendation=OuterRef("pk")).order_by().values("pk")[:1]
    return IsNull(Subquery(first), True)


def unanswered_recommendations(*, user=None, scope: Scope | None = None) -> QuerySet:
    """The recommendations in `user`'s scope that have no live action yet, in the plan's order."""
    recommendations = Recommendation.objects.all() if user is None else (scope or Scope(user)).recommendations
    return (
        recommendations.filter(_has_no_live_action())
        .select_related("inspection", "addressed_to")
        .annotate(addressee_count=addressee_count())
        .order_by(*UNANSWERED_ORDERING)
    )


def _display_name(prefix: str):
    """A unit's short name where it has one (for tables), else its full name."""
    return Coalesce(NullIf(F(f"{prefix}short_name"), Value("")), F(f"{prefix}name"), output_field=CharField())


def _null(field):
    return Value(None, output_field=field)


# What a download row holds, from a recommendation (for every row: an action's are its
# recommendation's, read once for each recommendation rather than with each of its actions),
# from an action, and from a recommendation with no action. Every row has the same keys
# (ROW_COLUMNS).
_RECOMMENDATION_ROW = {
    "inspection_pk": F("inspection_id"),
    "inspection_title": F("inspection__title"),
    "inspection_published": F("inspection__published_on"),
    "rec_number": F("number"),
    "rec_text": F("text"),
    "rec_response": F("response"),
    "addressee_pk": F("addressed_to_id"),
    "addressee_name": _display_name("addressed_to__"),
}
_ACTION_ROW = {
    "rec_pk": F("recommendation_id"),
    "action_pk": F("pk"),
    "action_text": F("description"),
    "unit_pk": F("unit_id"),
    "owner_pk": F("owner_id"),
    "owner_name": Coalesce(
        NullIf(Trim(Concat("owner__first_name", Value(" "), "owner__last_name")), Value("")),
        F("owner__username"),
        output_field=CharField(),
    ),
    "due_original": F("original_due_date"),
    "due_current": F("due_date"),
    "plan_status": F("status"),
    "rag_self": F("self_rag"),
    "latest_update": F("last_update_at"),
    # The day in the service's time zone, worked out by the database for every row at once.
    "latest_update_on": TruncDate("last_update_at"),
}
_UNANSWERED_ROW = {
    **_RECOMMENDATION_ROW,
    "rec_pk": F("pk"),
    "action_pk": _null(IntegerField()),
    "action_text": Value("", output_field=TextField()),
    # Until an action names its unit, the recommendation's addressee is the unit expected to act.
    "unit_pk": F("addressed_to_id"),
    "owner_pk": _null(IntegerField()),
    "owner_name": Value("", output_field=CharField()),
    "due_original": _null(DateField()),
    "due_current": _null(DateField()),
    "plan_status": Value(NO_ACTION, output_field=CharField()),
    "rag_self": Value("", output_field=CharField()),
    "latest_update": _null(DateTimeField()),
    "latest_update_on": _null(DateField()),
}
# Annotations of plan_actions that rows carry as they are.
_ACTION_ANNOTATIONS = ("rag_derived", "is_overdue", "evidence_count")
ROW_COLUMNS = (*_RECOMMENDATION_ROW, *_ACTION_ROW, *_ACTION_ANNOTATIONS)
# What every row holds whatever columns are asked for: the plan's order (_merged_in_plan_order) and
# the recommendation, for its joint label.
_ROW_KEYS = (
    "inspection_published",
    "inspection_pk",
    "rec_number",
    "action_pk",
    "due_current",
    "rec_pk",
    "addressee_name",
)


def _recommendation_order(published: date | None, inspection_pk: int, rec_number: int):
    """A recommendation's place in the plan's own order (DEFAULT_ORDERING), for merging the rows
    of recommendations with no action among the actions' rows (which the database orders)."""
    return (published is None, -published.toordinal() if published else 0, inspection_pk, rec_number)


def _merged_in_plan_order(
    unanswered: Iterator[tuple], actions: Iterable[tuple], *, key_at: tuple[int, ...], rec_at: int
):
    """The rows of both kinds in the plan's own order: each recommendation with no action goes
    before the first action row of a later recommendation.

    The order is decided once per recommendation, not once per row: an action's place differs
    from its recommendation's only among that recommendation's actions, which come in order.
    """

    def order(row):
        return _recommendation_order(*(row[at] for at in key_at))

    waiting = next(unanswered, None)
    current = None
    for row in actions:
        if waiting is not None and row[rec_at] != current:
            current, place = row[rec_at], order(row)
            while waiting is not None and order(waiting) <= place:
                yield waiting
                waiting = next(unanswered, None)
        yield row
    if waiting is not None:
        yield waiting
        yield from unanswered


@dataclass(frozen=True)
class ActionPlan:
    """The plan a user asked for: the filtered actions and unanswered recommendations, and
    the filters that chose them (for their form and errors)."""

    filterset: ActionPlanFilter
    all_unanswered: QuerySet

    @property
    def actions(self) -> QuerySet:
        return self.filterset.qs

    @property
    def unanswered(self) -> QuerySet:
        """The recommendations with no action that the filters let through (none when a filter
        chooses actions only, such as an owner or a RAG rating)."""
        return self.filterset.filter_unanswered(self.all_unanswered)

    def rows(self, *, ordering: Iterable[str] | None = None, columns: Iterable[str] | None = None) -> Iterator[dict]:
        """Every row as a dict of ROW_COLUMNS (or of `columns` alone, with what the merge and
        the joint labels need), for downloads: in the plan's order, or with the actions in
        `ordering` (a table's) and the recommendations with no action after them."""
        names = ROW_COLUMNS if columns is None else tuple(dict.fromkeys((*columns, *_ROW_KEYS)))
        for values in self.row_values(names, ordering=ordering):
            yield dict(zip(names, values, strict=True))

    def row_values(self, columns: Iterable[str], *, ordering: Iterable[str] | None = None) -> Iterator[tuple]:
        """The rows of `rows`, each as a tuple of the values of `columns` in that order: for a
        download that writes thousands of rows, without making a dict of each."""
        columns = tuple(columns)
        names = tuple(dict.fromkeys((*columns, *_ROW_KEYS)))
        at = {name: index for index, name in enumerate(names)}
        actions = self.actions.order_by(*ordering) if ordering else self.actions
        action_names = tuple(name for name in names if name not in _RECOMMENDATION_ROW)
        # Read whole, as the plan page's table is: the recommendations' read needs their pks.
        action_values = list(
            actions.annotate(**{name: _ACTION_ROW[name] for name in action_names if name in _ACTION_ROW}).values_list(
                *action_names
            )
        )
        # Each action's row begins with its recommendation's values, then the action's own.
        of_action = action_names.index("rec_pk")
        recommendation_names = tuple(name for name in names if name in _RECOMMENDATION_ROW)
        recommendations = {
            values[0]: values[1:]
            for values in Recommendation.objects.filter(pk__in={row[of_action] for row in action_values})
            .annotate(**{name: _RECOMMENDATION_ROW[name] for name in recommendation_names})
            .values_list("pk", *recommendation_names)
        }
        arranged = itemgetter(*((*recommendation_names, *action_names).index(name) for name in names))
        action_rows = (arranged(recommendations[row[of_action]] + row) for row in action_values)
        unanswered_row = {**_UNANSWERED_ROW, **_UNANSWERED_EXTRA}
        unanswered_rows = iter(
            self.unanswered.annotate(**{name: unanswered_row[name] for name in names}).values_list(*names)
        )
        if ordering:
            rows = itertools.chain(action_rows, unanswered_rows)
        else:
            key_at = (at["inspection_published"], at["inspection_pk"], at["rec_number"])
            rows = _merged_in_plan_order(unanswered_rows, action_rows, key_at=key_at, rec_at=at["rec_pk"])
        joint = joint_addressee_labels()
        rec_at, addressee_at, width = at["rec_pk"], at["addressee_name"], len(columns)
        for row in rows:
            label = joint.get(row[rec_at])
            if label is not None:
                row = (*row[:addressee_at], label, *row[addressee_at + 1 :])
            yield row if width == len(names) else row[:width]


def addressee_count(recommendation: str = "pk"):
    """How many bodies a recommendation is addressed to (`recommendation`: the path to its pk)."""
    through = Recommendation.addressees.through.objects.filter(recommendation_id=OuterRef(recommendation))
    counted = through.order_by().values("recommendation_id").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class JointLabels:
    """joint_addressee_labels, read at the first jointly addressed recommendation a page shows:
    most pages show none, and do not pay for the query."""

    def __init__(self):
        self._labels = None

    def label(self, recommendation_pk: int, count: int, single: str) -> str:
        if count < 2:
            return single
        if self._labels is None:
            self._labels = joint_addressee_labels()
        return self._labels.get(recommendation_pk, single)


def joint_addressee_labels() -> dict[int, str]:
    """The short label (joint_label) of each recommendation addressed jointly, by its pk, in one query.

    They are few: a row or table cell of any other recommendation names its one addressee as it is.
    """
    through = Recommendation.addressees.through.objects
    jointly = through.values("recommendation_id").annotate(count=Count("pk")).filter(count__gt=1)
    addressees: dict[int, list] = {}
    first_named = {}
    rows = through.filter(recommendation_id__in=jointly.values("recommendation_id")).select_related(
        "orgunit", "recommendation"
    )
    for row in rows:
        addressees.setdefault(row.recommendation_id, []).append(row.orgunit)
        first_named[row.recommendation_id] = row.recommendation.addressed_to_id
    return {pk: joint_label(units, first_pk=first_named[pk], short=True) for pk, units in addressees.items()}


_UNANSWERED_EXTRA = {
    "rag_derived": Value("", output_field=CharField()),
    "is_overdue": Value(False, output_field=BooleanField()),
    "evidence_count": Value(0, output_field=IntegerField()),
}


def action_plan(*, user=None, today: date, params=None, units=None) -> ActionPlan:
    """The plan in `user`'s scope (everything when `user` is None), narrowed to `units` when
    given and by the filter `params` (a QueryDict or dict of ActionPlanFilter's fields).
    Invalid filter values are ignored here and reported by the filterset's errors.
    """
    # One scope for the page's queries and its filters' choices.
    scope = None if user is None else Scope(user, read_units=True)
    actions = plan_actions(user=user, today=today, scope=scope)
    unanswered = unanswered_recommendations(user=user, scope=scope)
    if units is not None:
        actions = actions.filter(unit__in=units)
        unanswered = unanswered.addressed_to_any(units)
    filterset = ActionPlanFilter(params or {}, queryset=actions, user=user, scope=scope)
    filterset.is_valid()
    return ActionPlan(filterset=filterset, all_unanswered=unanswered)
