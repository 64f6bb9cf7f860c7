"""Annotations several pages share: whether an action has current evidence, its derived RAG."""

from django.db.models import Count, Exists, OuterRef, Q

from ..models import Evidence
from ..rag import derive_rag, is_self_rating_optimistic


def with_has_evidence(actions):
    current = Evidence.objects.filter(action=OuterRef("pk"), withdrawn_at__isnull=True)
    return actions.annotate(has_evidence=Exists(current))


def with_evidence_count(actions):
    """`evidence_count`, the current (not withdrawn) evidence, and `has_evidence` read from it.

    For a page that shows the count anyway: one join and count rather than a count and an
    EXISTS subquery for each action.
    """
    actions = actions.annotate(evidence_count=Count("evidence", filter=Q(evidence__withdrawn_at__isnull=True)))
    return actions.annotate(has_evidence=Q(evidence_count__gt=0))


def attach_rag(actions, *, today):
    """Set `derived_rag_value` and `self_rag_optimistic` on each action (needs `has_evidence`)."""
    actions = list(actions)
    for action in actions:
        action.derived_rag_value = derive_rag(
            status=action.status,
            due_date=action.due_date,
            last_activity_at=action.last_update_at or action.created_at,
            has_evidence=action.has_evidence,
            today=today,
        )
        action.self_rag_optimistic = is_self_rating_optimistic(
            self_rag=action.self_rag, derived=action.derived_rag_value
        )
    return actions
