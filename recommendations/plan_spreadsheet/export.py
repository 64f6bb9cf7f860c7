"""A plan's actions in the template's columns: what the import reads back unchanged."""

from django.utils import timezone

from ..models import Action, ActionStatus
from .columns import RAG_LABELS, STATUS_LABELS, neutralise_formula, write_date


def person(user) -> str:
    """How the file names a person: their email address, or their full name without one."""
    if user is None:
        return ""
    return user.email or user.get_full_name() or user.username


def action_rows(actions) -> list[list]:
    actions = (
        actions.select_related("recommendation__inspection", "owner", "unit", "verified_by")
        .prefetch_related("updates")
        .order_by(
            "recommendation__inspection__published_on", "recommendation__inspection_id", "recommendation__number", "id"
        )
    )
    rows = []
    for action in actions:
        updates = sorted(action.updates.all(), key=lambda update: (update.created_at, update.pk))
        latest = updates[-1].narrative if updates else ""
        verified = action.status == ActionStatus.VERIFIED
        rows.append(
            [
                str(action.recommendation.inspection),
                action.recommendation.number,
                neutralise_formula(action.description),
                neutralise_formula(action.success_measure),
                person(action.owner),
                action.unit.name,
                write_date(action.start_date),
                write_date(action.due_date),
                STATUS_LABELS[action.status],
                RAG_LABELS.get(action.self_rag, ""),
                neutralise_formula(latest),
                write_date(timezone.localdate(action.completed_at) if action.completed_at else None),
                write_date(timezone.localdate(action.verified_at) if verified and action.verified_at else None),
                person(action.verified_by) if verified else "",
            ]
        )
    return rows


def all_actions():
    return Action.objects.all()
