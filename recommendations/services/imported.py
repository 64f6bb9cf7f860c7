"""Completions and verifications recorded in a region's own tracker before this service, brought
in by the spreadsheet import: moves of the life cycle (recommendations.workflow) that only an
administrator importing a tracker makes, each logged in the timeline with the file and row."""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import workflow
from ..models import Action, ActionStatus
from .versions import lock_action, log, save_action


def _imported_moment(day: date, *, field: str, what: str) -> datetime:
    """A date from an imported tracker as a moment (midday), refused when it is in the future."""
    moment = timezone.make_aware(datetime.combine(day, time(12)))
    if moment > timezone.now():
        raise ValidationError({field: f"The {what} date must be today or in the past."})
    return moment


@transaction.atomic
def record_imported_completion(*, action: Action, by, completed_on: date, source: str, expected_version: int) -> Action:
    """Record that an action was completed in the tracker it is imported from, on `completed_on`.

    Its evidence stays in that tracker, so none is asked for here; it is then verified here,
    against evidence, unless the tracker also records its verification
    (record_imported_verification). `source` names the file and row, and is shown in the timeline.
    """
    action = lock_action(action=action, expected_version=expected_version)
    workflow.require_move("record_imported_completion", action=action, by=by)
    if not source.strip():
        raise ValidationError("Name the tracker and row this completion is imported from.")
    completed_at = _imported_moment(completed_on, field="completed_on", what="completion")
    narrative = f"Completed, as recorded in {source.strip()}. To be verified here against evidence."
    log(action, by=by, at=completed_at, narrative=narrative, status=ActionStatus.COMPLETED, rag=action.self_rag)
    action.status = ActionStatus.COMPLETED
    action.completed_at = completed_at
    action.completed_by = by
    action.last_update_at = max(action.last_update_at or completed_at, completed_at)
    save_action(action, by=by)
    return action


@transaction.atomic
def record_imported_verification(
    *, action: Action, by, verified_by, verified_on: date, source: str, expected_version: int
) -> Action:
    """Record that a completed action was verified before this service, in the tracker it is
    imported from: by `verified_by`, on `verified_on`.

    The verifier looked at its evidence there, and the evidence stays there, so none is asked
    for here (a verification made here needs current evidence: verify_action). The action is
    recorded, and shown, as verified before this service, with the file and row in `source`.
    Its owner cannot have verified it: such a row is imported as completed and verified here.
    """
    action = lock_action(action=action, expected_version=expected_version)
    workflow.require_move("record_imported_verification", action=action, by=by)
    source = source.strip()
    if not source:
        raise ValidationError("Name the tracker and row this verification is imported from.")
    if verified_by is None:
        raise ValidationError({"verified_by": "Enter who verified the action."})
    if verified_by.pk == action.owner_id:
        raise ValidationError(
            {
                "verified_by": f"{verified_by} owns this action, so cannot have verified it: "
                "import it as completed and have it verified here."
            }
        )
    verified_at = _imported_moment(verified_on, field="verified_on", what="verification")
    if verified_at < action.completed_at:
        raise ValidationError({"verified_on": "The action cannot have been verified before it was completed."})
    narrative = f"Verified before this service (imported from {source}), by {verified_by} on {verified_on:%-d %B %Y}."
    log(action, by=by, at=verified_at, narrative=narrative, status=ActionStatus.VERIFIED, rag=action.self_rag)
    action.status = ActionStatus.VERIFIED
    action.verified_at = verified_at
    action.verified_by = verified_by
    action.verification_imported_from = source[:300]
    action.last_update_at = max(action.last_update_at or verified_at, verified_at)
    save_action(action, by=by)
    return action
