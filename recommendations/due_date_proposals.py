"""New due dates for approved actions: the unit proposes, whoever manages the plan decides.

Before its plan is approved a draft action's date changes freely (recommendations.plan_sign_off).
Afterwards the date was promised, so its unit proposes a change with a reason; the regional
director (HMPPS for its own) approves it, when it becomes a due-date revision through
recommendations.services.revise_due_date, or rejects it, saying why. Permission checks live in
recommendations.scope (can_propose_due_date, can_decide_due_date).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import services
from .models import Action, DueDateProposal, ProposalState


@transaction.atomic
def propose_due_date(*, action: Action, by, new_due_date: date, reason: str) -> DueDateProposal:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the due date should change"})
    action = Action.objects.select_for_update().get(pk=action.pk)
    if not action.is_open:
        raise ValidationError("Only an action still being worked on can have its due date changed.")
    if not Action.objects.live().filter(pk=action.pk).exists():
        raise ValidationError("This action is still a draft: change its due date in the response plan.")
    if new_due_date == action.due_date:
        raise ValidationError({"new_due_date": "Enter a due date different from the current one"})
    if action.due_date_proposals.filter(state=ProposalState.PENDING).exists():
        raise ValidationError("A new due date has already been proposed for this action and is waiting for a decision.")
    proposal = DueDateProposal(
        action=action, proposed_due_date=new_due_date, reason=reason, proposed_by=by, proposed_at=timezone.now()
    )
    proposal._history_user = by
    proposal.save()
    return proposal


@transaction.atomic
def decide_due_date_proposal(*, proposal: DueDateProposal, by, approve: bool, comment: str = "") -> DueDateProposal:
    comment = comment.strip()
    proposal = DueDateProposal.objects.select_for_update().select_related("proposed_by").get(pk=proposal.pk)
    if proposal.state != ProposalState.PENDING:
        raise ValidationError("This proposal has already been decided.")
    if not approve and not comment:
        raise ValidationError({"comment": "Enter why the proposed due date is rejected"})
    if approve:
        reason = f"{proposal.reason} (proposed by {proposal.proposed_by}{'; ' + comment if comment else ''})"
        services.revise_due_date(
            action=proposal.action,
            new_due_date=proposal.proposed_due_date,
            reason=reason,
            by=by,
            # What is decided is the proposal, locked above and still pending: the action as it is now.
            expected_version=proposal.action.version,
        )
    proposal.state = ProposalState.APPROVED if approve else ProposalState.REJECTED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.decision_comment = comment
    proposal._history_user = by
    proposal.save()
    return proposal
