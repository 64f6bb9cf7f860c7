"""The derived RAG rating: progress judged from dates, updates and evidence.

The Inspectorate criticised a tracker in which nearly everything was self-rated
"on track". The derived rating does not ask the owner; where the owner's own rating
is greener, the service shows both.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .models import RAG, RAG_SEVERITY_ORDER, ActionStatus


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
    if status == ActionStatus.CANCELLED:
        return ""
    if status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
        return RAG.GREEN
    if due_date < today:
        return RAG.RED
    if last_activity_at is not None:
        last_day = timezone.localtime(last_activity_at).date()
        if (today - last_day).days >= settings.RAG_STALE_AFTER_DAYS:
            return RAG.RED
    if status == ActionStatus.BLOCKED:
        return RAG.AMBER
    if not has_evidence and due_date <= today + timedelta(days=settings.RAG_AMBER_WITHIN_DAYS):
        return RAG.AMBER
    return RAG.GREEN


def is_self_rating_optimistic(*, self_rag: str, derived: str) -> bool:
    """True when the owner rates the action greener than the dates and evidence do."""
    if not self_rag or not derived:
        return False
    return RAG_SEVERITY_ORDER[self_rag] > RAG_SEVERITY_ORDER[derived]
