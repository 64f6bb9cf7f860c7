"""What an owner and a verifier need beside their forms: where the action stands, and what is verified."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ..models import Action, ActionStatus, ProgressUpdate
from ..models.rag import RagAssessment, assess_rag


@dataclass(frozen=True)
class Standing:
    """The derived rating, how late the action is and how much evidence it has: shown beside the owner's choice."""

    rag: RagAssessment
    days_overdue: int
    evidence_count: int


def standing_of(action: Action, *, today: dt.date) -> Standing:
    evidence_count = action.evidence.current().count()
    rag = assess_rag(
        status=action.status,
        due_date=action.due_date,
        last_activity_at=action.last_update_at or action.created_at,
        has_evidence=evidence_count > 0,
        today=today,
    )
    return Standing(rag=rag, days_overdue=action.days_overdue(today=today), evidence_count=evidence_count)


@dataclass(frozen=True)
class RagPoint:
    """The derived rating as it stood when an update was logged."""

    at: dt.datetime
    status_label: str
    rag: RagAssessment
    self_rag: str


@dataclass
class Verification:
    action: Action
    closing_update: ProgressUpdate | None
    evidence: list
    rag_history: list[RagPoint]
    standing: Standing


def _due_date_on(action: Action, revisions, moment: dt.datetime) -> dt.date:
    due = action.original_due_date
    for revision in revisions:
        if revision.revised_at <= moment:
            due = revision.new_due_date
    return due


def rag_history(action: Action, *, updates, evidence, revisions) -> list[RagPoint]:
    """The derived rating at each progress update, oldest first: the due date then in force, the status the
    update recorded, and whether evidence had been added (and not withdrawn) by then."""
    points = []
    for update in sorted(updates, key=lambda u: (u.created_at, u.pk)):
        moment = update.created_at
        has_evidence = any(
            item.added_at <= moment and (item.withdrawn_at is None or item.withdrawn_at > moment) for item in evidence
        )
        rag = assess_rag(
            status=update.status,
            due_date=_due_date_on(action, revisions, moment),
            last_activity_at=moment,
            has_evidence=has_evidence,
            today=timezone.localdate(moment),
        )
        points.append(RagPoint(at=moment, status_label=update.get_status_display(), rag=rag, self_rag=update.rag))
    return points


def verification_of(action: Action, *, today: dt.date) -> Verification:
    """What the verifier checks: the success measure (on the action), the closing update, the current
    evidence with its links, and how the derived rating moved."""
    updates = list(action.updates.select_related("author").order_by("created_at", "id"))
    evidence = list(action.evidence.select_related("added_by").order_by("-added_at", "-id"))
    revisions = list(action.due_date_revisions.order_by("revised_at", "id"))
    closing = next((u for u in reversed(updates) if u.is_closing), None)
    return Verification(
        action=action,
        closing_update=closing if action.status == ActionStatus.COMPLETED else None,
        evidence=[item for item in evidence if not item.is_withdrawn],
        rag_history=rag_history(action, updates=updates, evidence=evidence, revisions=revisions),
        standing=standing_of(action, today=today),
    )
