"""The action plan as rows: one per action, and one per recommendation that has no action yet.

Both kinds of row have the same columns, so the plan is a single database query (a
UNION of the two) that can be filtered, sorted, counted and paginated by the database,
and streamed to CSV. Every value a row shows, including the derived RAG, the overdue
flag and the evidence count, is computed in that query, so a page of the plan costs
the same few queries whether the plan has ten actions or ten thousand.

A page of the plan is read in two steps (PlanRows): the rows are counted, sorted and
sliced on the few columns the filters and the sort need, and every other column (names,
texts, the evidence count, the derived RAG when not sorted by) is computed only for the
rows of the page. At national scale that is the difference between computing every
column of fifty thousand rows and of fifty.

Scope comes from recommendations.scope; the filters from ActionPlanFilter.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
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

from ..filters.action_plan import ActionPlanFilter
from ..models import RAG, Action, ActionStatus, Evidence, Recommendation
from ..models.actions import has_current_evidence, overdue
from ..models.choices import NO_ACTION
from ..models.rag import derived_rag_expression, optimistic_rating_expression
from ..scope import actions_visible_to, recommendations_visible_to, sees_everything
from .plan_pages import PlanRows

# Rank for sorting by RAG: worst first, rows without a rating last.
_RAG_RANK = {RAG.RED: 0, RAG.AMBER: 1, RAG.GREEN: 2}
_NO_RAG_RANK = 3
# A recommendation with no action sorts before every status: it is the first thing to deal with.
_NO_ACTION_RANK = -1

DEFAULT_ORDERING = ("-inspection_published", "inspection_pk", "rec_number", "due_current", "action_pk")


@dataclass(frozen=True)
class ActionPlanRows:
    """The rows of the plan a user asked for, and the filter that chose them (for its form and errors).

    `rows` computes every column of every row (for downloads); `pages` is the same rows
    for a paginated table (see PlanRows).
    """

    filterset: ActionPlanFilter
    pages: "PlanRows"

    @property
    def rows(self) -> QuerySet:
        return self.pages.all_columns()


def _null(field):
    return Value(None, output_field=field)


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
        default=Value(_NO_ACTION_RANK),
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


def _display_name(prefix: str):
    """A unit's short name where it has one (for tables), else its full name."""
    return Coalesce(NullIf(F(f"{prefix}short_name"), Value("")), F(f"{prefix}name"), output_field=CharField())


# Columns computed from the derived RAG, which needs the evidence: the costliest to compute.
_NEEDS_DERIVED_RAG = {"rag_derived", "rag_derived_rank", "rag_optimistic"}


def _action_rows(actions: QuerySet, *, today: date, needed: set) -> QuerySet:
    recommendation = "recommendation__"
    columns = {
        "inspection_pk": F("recommendation__inspection_id"),
        "inspection_title": F("recommendation__inspection__title"),
        "inspection_published": F("recommendation__inspection__published_on"),
        "rec_pk": F("recommendation_id"),
        "rec_number": F("recommendation__number"),
        "rec_text": F("recommendation__text"),
        "rec_response": F("recommendation__response"),
        "addressee_pk": F("recommendation__addressed_to_id"),
        "addressee_name": _display_name(f"{recommendation}addressed_to__"),
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
        "status_rank": _status_rank(),
        "rag_self": F("self_rag"),
        "rag_self_rank": _rag_rank("self_rag"),
        "rag_derived": F("derived_rag"),
        "rag_derived_rank": _rag_rank("derived_rag"),
        "rag_optimistic": optimistic_rating_expression(self_rag="self_rag", derived="derived_rag"),
        "is_overdue": Case(
            When(overdue(today=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        "latest_update": F("last_update_at"),
        # The day of the latest update in the service's time zone, worked out by the
        # database: for downloads, where converting every row's time in Python costs more.
        "latest_update_on": TruncDate("last_update_at"),
        "evidence_count": _evidence_count(),
    }
    columns = {name: value for name, value in columns.items() if name in needed}
    actions = actions.order_by()
    if needed & _NEEDS_DERIVED_RAG:
        actions = actions.alias(derived_rag=derived_rag_expression(today=today, has_evidence=has_current_evidence()))
    return actions.annotate(**columns)


def _unanswered_recommendation_rows(recommendations: QuerySet, *, needed: set) -> QuerySet:
    columns = {
        "inspection_pk": F("inspection_id"),
        "inspection_title": F("inspection__title"),
        "inspection_published": F("inspection__published_on"),
        "rec_pk": F("pk"),
        "rec_number": F("number"),
        "rec_text": F("text"),
        "rec_response": F("response"),
        "addressee_pk": F("addressed_to_id"),
        "addressee_name": _display_name("addressed_to__"),
        "action_pk": _null(IntegerField()),
        "action_text": Value("", output_field=TextField()),
        # Until an action names its unit, the recommendation's addressee is the unit expected to act.
        "unit_pk": F("addressed_to_id"),
        "owner_pk": _null(IntegerField()),
        "owner_name": Value("", output_field=CharField()),
        "due_original": _null(DateField()),
        "due_current": _null(DateField()),
        "plan_status": Value(NO_ACTION, output_field=CharField()),
        "status_rank": Value(_NO_ACTION_RANK, output_field=IntegerField()),
        "rag_self": Value("", output_field=CharField()),
        "rag_self_rank": Value(_NO_RAG_RANK, output_field=IntegerField()),
        "rag_derived": Value("", output_field=CharField()),
        "rag_derived_rank": Value(_NO_RAG_RANK, output_field=IntegerField()),
        "rag_optimistic": Value(False, output_field=BooleanField()),
        "is_overdue": Value(False, output_field=BooleanField()),
        "latest_update": _null(DateTimeField()),
        "latest_update_on": _null(DateField()),
        "evidence_count": Value(0, output_field=IntegerField()),
    }
    without_action = ~Exists(Action.objects.filter(recommendation=OuterRef("pk")))
    columns = {name: value for name, value in columns.items() if name in needed}
    return recommendations.order_by().filter(without_action).annotate(**columns)


# The columns of a row, in the order the UNION selects them.
ROW_COLUMNS = (
    "inspection_pk",
    "inspection_title",
    "inspection_published",
    "rec_pk",
    "rec_number",
    "rec_text",
    "rec_response",
    "addressee_pk",
    "addressee_name",
    "action_pk",
    "action_text",
    "unit_pk",
    "owner_pk",
    "owner_name",
    "due_original",
    "due_current",
    "plan_status",
    "status_rank",
    "rag_self",
    "rag_self_rank",
    "rag_derived",
    "rag_derived_rank",
    "rag_optimistic",
    "is_overdue",
    "latest_update",
    "latest_update_on",
    "evidence_count",
)


def action_plan_rows(
    *,
    user=None,
    today: date,
    params=None,
    units=None,
    ordering=DEFAULT_ORDERING,
) -> ActionPlanRows:
    """The plan's rows in `user`'s scope (everything when `user` is None, e.g. for an export
    run by an operator), narrowed to `units` when given and by the filter `params` (a
    QueryDict or dict of ActionPlanFilter's fields). Invalid filter values are ignored here
    and reported by the returned filterset's errors.
    """
    actions = Action.objects.all() if user is None else actions_visible_to(user)
    recommendations = Recommendation.objects.all() if user is None else recommendations_visible_to(user)
    filterset = ActionPlanFilter(params or {}, user=user, actions=actions, recommendations=recommendations)
    filterset.is_valid()

    unit_pks = None
    if units is not None:
        unit_pks = units.values("pk") if isinstance(units, QuerySet) else [getattr(u, "pk", u) for u in units]
    filtered_on = filterset.columns_used() | ({"unit_pk"} if unit_pks is not None else set())

    def rows_with(select):
        """Both kinds of row, scoped and filtered, with the columns in `select`."""
        needed = set(select) | filtered_on
        action_rows = _action_rows(actions, today=today, needed=needed)
        recommendation_rows = _unanswered_recommendation_rows(recommendations, needed=needed)
        if unit_pks is not None:
            action_rows = action_rows.filter(unit_pk__in=unit_pks)
            recommendation_rows = recommendation_rows.filter(unit_pk__in=unit_pks)
        return (
            filterset.filter_queryset(action_rows).values(*select),
            filterset.filter_queryset(recommendation_rows).values(*select),
        )

    whole_plan = (user is None or sees_everything(user)) and not filtered_on
    return ActionPlanRows(
        filterset=filterset,
        pages=PlanRows(
            rows_with, columns=ROW_COLUMNS, ordering=ordering, plan_order=DEFAULT_ORDERING, whole_plan=whole_plan
        ),
    )
