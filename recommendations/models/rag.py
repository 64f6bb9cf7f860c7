"""The derived RAG rating: progress judged from dates, updates and evidence.

The Inspectorate criticised a tracker in which nearly everything was self-rated
"on track". The derived rating does not ask the owner; where the owner's own rating
is greener, the service shows both.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import BooleanField, Case, CharField, Q, Value, When
from django.utils import timezone

from .choices import RAG, RAG_SEVERITY_ORDER, ActionStatus


def derive_rag(
    *,
    status: str,
    due_date: date,
    last_activity_at: datetime | None,
    has_evidence: bool,
    today: date,
) -> str:
    """Red, amber or green for an action; '' for a cancelled one.

    - Completed or verified: green.
    - Red: overdue, or no progress update for RAG_STALE_AFTER_DAYS days.
    - Amber: due within RAG_AMBER_WITHIN_DAYS days with no evidence yet, or blocked.
    - Green otherwise.
    """
    return assess_rag(
        status=status, due_date=due_date, last_activity_at=last_activity_at, has_evidence=has_evidence, today=today
    ).rating


@dataclass(frozen=True)
class RagAssessment:
    rating: str
    # Why, in words a user can act on: shown when the owner's own rating is greener.
    reason: str


def assess_rag(
    *,
    status: str,
    due_date: date,
    last_activity_at: datetime | None,
    has_evidence: bool,
    today: date,
) -> RagAssessment:
    """The derived rating together with the rule that set it (see derive_rag)."""
    if status == ActionStatus.CANCELLED:
        return RagAssessment("", "The action is cancelled.")
    if status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
        return RagAssessment(RAG.GREEN, "The action is complete.")
    if due_date < today:
        return RagAssessment(RAG.RED, f"It was due on {due_date.day} {due_date:%B %Y} and is not complete.")
    if last_activity_at is not None:
        last_day = timezone.localtime(last_activity_at).date()
        quiet_days = (today - last_day).days
        if quiet_days >= settings.RAG_STALE_AFTER_DAYS:
            return RagAssessment(
                RAG.RED,
                f"No progress has been logged for {quiet_days} days "
                f"({settings.RAG_STALE_AFTER_DAYS} or more counts as stalled).",
            )
    if status == ActionStatus.BLOCKED:
        return RagAssessment(RAG.AMBER, "It is blocked.")
    if not has_evidence and due_date <= today + timedelta(days=settings.RAG_AMBER_WITHIN_DAYS):
        return RagAssessment(
            RAG.AMBER,
            f"It is due on {due_date.day} {due_date:%B %Y}, within {settings.RAG_AMBER_WITHIN_DAYS} days, "
            "with no evidence yet.",
        )
    return RagAssessment(RAG.GREEN, "It is on schedule, with recent progress.")


def is_self_rating_optimistic(*, self_rag: str, derived: str) -> bool:
    """True when the owner rates the action greener than the dates and evidence do."""
    if not self_rag or not derived:
        return False
    return RAG_SEVERITY_ORDER[self_rag] > RAG_SEVERITY_ORDER[derived]


# The same rules as database expressions, so that lists can filter, sort and count by
# derived RAG in one query (ActionQuerySet.with_derived_rag). tests/test_rag_expressions.py
# holds both forms to agreement.


def _stale_before(today: date) -> datetime:
    # derive_rag counts whole local days since the last activity; an activity is stale
    # when it happened before local midnight at the start of (today - STALE + 1).
    first_fresh_day = today - timedelta(days=settings.RAG_STALE_AFTER_DAYS - 1)
    return timezone.make_aware(datetime.combine(first_fresh_day, time.min))


def derived_rag_expression(*, today: date, has_evidence):
    """An Action expression equal to `derive_rag` for each row ('' for a cancelled action).

    The last activity is the latest progress update, or the action's creation when it has
    none, as in Action.derived_rag.
    """
    stale_before = _stale_before(today)
    amber_until = today + timedelta(days=settings.RAG_AMBER_WITHIN_DAYS)
    return Case(
        When(status=ActionStatus.CANCELLED, then=Value("")),
        When(status__in=[ActionStatus.COMPLETED, ActionStatus.VERIFIED], then=Value(RAG.GREEN)),
        When(due_date__lt=today, then=Value(RAG.RED)),
        When(
            Q(last_update_at__lt=stale_before) | Q(last_update_at__isnull=True, created_at__lt=stale_before),
            then=Value(RAG.RED),
        ),
        When(status=ActionStatus.BLOCKED, then=Value(RAG.AMBER)),
        # The due date first: the database stops there for actions not due soon, and looks
        # for evidence only for the few that are.
        When(Q(due_date__lte=amber_until) & ~Q(has_evidence), then=Value(RAG.AMBER)),
        default=Value(RAG.GREEN),
        output_field=CharField(),
    )


def optimistic_rating_expression(*, self_rag: str, derived: str):
    """An expression equal to `is_self_rating_optimistic`, over two named columns of a queryset."""
    greener = Q()
    for own, own_rank in RAG_SEVERITY_ORDER.items():
        worse = [rag for rag, rank in RAG_SEVERITY_ORDER.items() if rank < own_rank]
        if worse:
            greener |= Q(**{self_rag: own, f"{derived}__in": worse})
    return Case(When(greener, then=Value(True)), default=Value(False), output_field=BooleanField())
