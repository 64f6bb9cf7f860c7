"""Proposed due dates as the action's page and My work show them."""

from .. import scope
from ..models import DueDateProposal, ProposalState
from .actions import TimelineEntry


def proposals_of(action) -> list[DueDateProposal]:
    """Every due date proposed for the action, oldest first (one query, for the action's page)."""
    return list(action.due_date_proposals.select_related("proposed_by", "decided_by").order_by("proposed_at"))


def pending_proposal(proposals: list[DueDateProposal]) -> DueDateProposal | None:
    return next((proposal for proposal in proposals if proposal.state == ProposalState.PENDING), None)


def proposal_entries(proposals: list[DueDateProposal]) -> list[TimelineEntry]:
    """Each proposal as a timeline entry, and each rejection; an approved one shows as the due-date change it made."""
    entries = []
    for proposal in proposals:
        new = proposal.proposed_due_date
        entries.append(
            TimelineEntry(
                at=proposal.proposed_at,
                kind="proposal",
                title="New due date proposed",
                by=proposal.proposed_by,
                text=f"To {new.day} {new:%B %Y}. Reason: {proposal.reason}",
            )
        )
        if proposal.state == ProposalState.REJECTED:
            entries.append(
                TimelineEntry(
                    at=proposal.decided_at,
                    kind="proposal",
                    title="Proposed due date rejected",
                    by=proposal.decided_by,
                    text=f"The due date stays. Reason: {proposal.decision_comment}",
                )
            )
    return entries


def proposals_to_decide(user):
    """Pending proposals the user decides on (a director's region, HMPPS's own), oldest first: for My work."""
    if not (user.is_regional_director or user.is_national_viewer):
        return DueDateProposal.objects.none()
    return (
        DueDateProposal.objects.filter(state=ProposalState.PENDING, action__unit__in=scope.editable_units(user))
        .select_related("action__recommendation", "proposed_by")
        .order_by("proposed_at")
    )
