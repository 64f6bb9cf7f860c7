"""The moves of an action's life cycle (recommendations.workflow): complete, verify, return,
cancel and reopen, each logged in the action's timeline."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import workflow
from ..models import Action, ActionStatus
from .versions import lock_action, log, save_action


@transaction.atomic
def mark_complete(*, action: Action, by, narrative: str, expected_version: int) -> Action:
    """Close an action as done, pending verification.

    It needs at least one current piece of evidence and a closing update saying what
    was achieved: the Inspectorate asks for evidence of impact, not of activity.
    """
    narrative = narrative.strip()
    action = lock_action(action=action, expected_version=expected_version)
    workflow.require_move("complete", action=action, by=by)
    if not action.evidence.current().exists():
        raise ValidationError("Add at least one piece of evidence before marking this action complete.")
    if not narrative:
        raise ValidationError({"narrative": "Enter a closing update: what was achieved and what difference it made."})
    now = timezone.now()
    log(action, by=by, at=now, narrative=narrative, status=ActionStatus.COMPLETED, rag=action.self_rag, closing=True)
    action.status = ActionStatus.COMPLETED
    action.completed_at = now
    action.completed_by = by
    action.returned_at = None
    action.returned_by = None
    action.return_reason = ""
    action.last_update_at = now
    save_action(action, by=by)
    return action


@transaction.atomic
def verify_action(*, action: Action, by, comment: str = "", expected_version: int) -> Action:
    """Someone other than its owner and completer confirms the evidence shows the action is done."""
    action = lock_action(action=action, expected_version=expected_version)
    workflow.require_move("verify", action=action, by=by)
    if not action.evidence.current().exists():
        raise ValidationError(
            "This action has no current evidence: all of it has been withdrawn. "
            "Return it for more evidence rather than verifying it."
        )
    now = timezone.now()
    narrative = comment.strip() or "Verified: the evidence shows this action is complete."
    log(action, by=by, at=now, narrative=narrative, status=ActionStatus.VERIFIED, rag=action.self_rag)
    action.status = ActionStatus.VERIFIED
    action.verified_at = now
    action.verified_by = by
    action.last_update_at = now
    save_action(action, by=by)
    return action


@transaction.atomic
def return_action(*, action: Action, by, reason: str, expected_version: int) -> Action:
    """Whoever may verify sends a completed action back for more evidence; it reopens as in progress."""
    reason = reason.strip()
    action = lock_action(action=action, expected_version=expected_version)
    workflow.require_move("return", action=action, by=by)
    if not reason:
        raise ValidationError({"reason": "Enter what more is needed before this action can be verified."})
    now = timezone.now()
    narrative = f"Returned for more evidence: {reason}"
    log(action, by=by, at=now, narrative=narrative, status=ActionStatus.IN_PROGRESS, rag=action.self_rag)
    action.status = ActionStatus.IN_PROGRESS
    action.completed_at = None
    action.completed_by = None
    action.returned_at = now
    action.returned_by = by
    action.return_reason = reason
    action.last_update_at = now
    save_action(action, by=by)
    return action


@transaction.atomic
def cancel_action(*, action: Action, by, reason: str, expected_version: int) -> Action:
    """Close an action that will not be done, saying why; the reason shows in its timeline."""
    reason = reason.strip()
    action = lock_action(action=action, expected_version=expected_version)
    workflow.require_move("cancel", action=action, by=by)
    if not reason:
        raise ValidationError({"reason": "Enter why this action is being cancelled."})
    now = timezone.now()
    log(action, by=by, at=now, narrative=f"Cancelled: {reason}", status=ActionStatus.CANCELLED)
    action.status = ActionStatus.CANCELLED
    action.last_update_at = now
    save_action(action, by=by)
    return action


@transaction.atomic
def reopen_action(*, action: Action, by, reason: str, expected_version: int) -> Action:
    """Open a verified or cancelled action again, in progress, saying why; the reason shows in its timeline.

    A reopened action must be completed and verified afresh, so its stamps are cleared.
    """
    reason = reason.strip()
    action = lock_action(action=action, expected_version=expected_version)
    workflow.require_move("reopen", action=action, by=by)
    if not reason:
        raise ValidationError({"reason": "Enter why this action is being reopened."})
    now = timezone.now()
    log(action, by=by, at=now, narrative=f"Reopened: {reason}", status=ActionStatus.IN_PROGRESS, rag=action.self_rag)
    action.status = ActionStatus.IN_PROGRESS
    action.completed_at = None
    action.completed_by = None
    action.verified_at = None
    action.verified_by = None
    action.verification_imported_from = ""
    action.last_update_at = now
    save_action(action, by=by)
    return action
