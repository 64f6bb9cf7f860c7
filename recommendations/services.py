"""Every change to the action plan goes through these functions.

Each one checks the business rule it owns, stamps who and when, and (for actions)
enforces optimistic concurrency: the caller passes the version it read, and a save
against a newer version is refused rather than silently overwriting someone's work.
Whether an action may move, and what may change about it in each status, is stated in
recommendations.workflow and checked here, so that pages, the admin, the import,
commands and tasks obey the same rules. Who may open a page is recommendations.scope's,
asked by the views; who may make a move is asked again here.
"""

import hashlib
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import scope, workflow
from .models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    DueDateRevision,
    Evidence,
    EvidenceKind,
    ProgressUpdate,
    Recommendation,
    Response,
)


class StaleEditError(ValidationError):
    """Someone else changed the action since the user opened it."""

    def __init__(self):
        super().__init__(
            "Someone else changed this action while you were editing it. "
            "Their change has been kept: check the latest details below and try again.",
            code="stale",
        )


def _lock_action(*, action: Action, expected_version: int | None, check_version: bool = True) -> Action:
    """Re-read the action under a row lock and check nobody has changed it since.

    An edit must say which version it was made against: a missing version is a mistake in
    the caller, never a reason to skip the check.
    """
    if check_version and expected_version is None:
        raise TypeError("expected_version is required: pass the version the user saw.")
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if check_version and locked.version != expected_version:
        raise StaleEditError()
    return locked


def _check_owner(*, owner, unit) -> None:
    if owner is not None and not scope.may_own_actions_of(owner, unit):
        raise ValidationError(
            {"owner": f"{owner} cannot own an action of {unit}: choose someone who works for {unit} or leads it."}
        )


def _log(action: Action, *, by, at, narrative: str, status: str, rag: str = "", closing: bool = False):
    return ProgressUpdate.objects.create(
        action=action, author=by, created_at=at, narrative=narrative, status=status, rag=rag, is_closing=closing
    )


def _save_action(action: Action, *, by) -> None:
    action.version += 1
    action._history_user = by
    action.save()


@transaction.atomic
def create_action(
    *,
    recommendation: Recommendation,
    description: str,
    owner,
    unit,
    due_date: date,
    created_by,
    success_measure: str = "",
    start_date: date | None = None,
) -> Action:
    action = Action(
        recommendation=recommendation,
        description=description,
        owner=owner,
        unit=unit,
        success_measure=success_measure,
        start_date=start_date,
        original_due_date=due_date,
        due_date=due_date,
        created_by=created_by,
    )
    _check_owner(owner=owner, unit=unit)
    action.full_clean()
    action._history_user = created_by
    action.save()
    return action


@transaction.atomic
def update_action_details(
    *,
    action: Action,
    by,
    expected_version: int,
    description: str,
    owner,
    success_measure: str,
    start_date: date | None,
    unit=None,
) -> Action:
    """Change what the action is and who owns it; a new unit re-checks the owner."""
    action = _lock_action(action=action, expected_version=expected_version)
    workflow.require_change("edit_details", action=action)
    if unit is not None:
        action.unit = unit
    _check_owner(owner=owner, unit=action.unit)
    action.description = description
    action.owner = owner
    action.success_measure = success_measure
    action.start_date = start_date
    action.full_clean()
    _save_action(action, by=by)
    return action


@transaction.atomic
def revise_due_date(*, action: Action, new_due_date: date, reason: str, by, expected_version: int) -> Action:
    """Move the current due date; the original stays, and the revision keeps its reason."""
    reason = reason.strip()
    action = _lock_action(action=action, expected_version=expected_version)
    workflow.require_change("revise_due_date", action=action)
    if not reason:
        raise ValidationError({"reason": "Enter the reason for changing the due date."})
    if new_due_date == action.due_date:
        raise ValidationError({"new_due_date": "Enter a due date different from the current one."})
    DueDateRevision.objects.create(
        action=action,
        previous_due_date=action.due_date,
        new_due_date=new_due_date,
        reason=reason,
        revised_by=by,
        revised_at=timezone.now(),
    )
    action.due_date = new_due_date
    _save_action(action, by=by)
    return action


@transaction.atomic
def log_progress(
    *,
    action: Action,
    author,
    narrative: str,
    status: str,
    rag: str = "",
    expected_version: int | None = None,
) -> ProgressUpdate:
    """Append an update to the action's log, moving it among the open statuses if asked.

    Appending is not an edit: several people may log updates at once and all are kept.
    Only a change of status is checked against the version the user saw (`expected_version`,
    required then). Completion and verification have their own services.
    """
    narrative = narrative.strip()
    if not narrative:
        raise ValidationError({"narrative": "Enter what has been done since the last update."})
    if status not in OPEN_STATUSES:
        raise ValidationError({"status": "Choose not started, in progress or blocked."})
    action = _lock_action(action=action, expected_version=None, check_version=False)
    workflow.require_move("progress", action=action, by=author)
    moves = status != action.status
    if moves and (expected_version is None or action.version != expected_version):
        raise StaleEditError()
    now = timezone.now()
    update = _log(action, by=author, at=now, narrative=narrative, status=status, rag=rag)
    action.status = status
    if rag:
        action.self_rag = rag
    action.last_update_at = now
    action._history_user = author
    if moves:
        action.version += 1
    action.save()
    return update


def file_digest(uploaded) -> str:
    sha = hashlib.sha256()
    for chunk in uploaded.chunks():
        sha.update(chunk)
    uploaded.seek(0)
    return sha.hexdigest()


@transaction.atomic
def add_evidence(
    *,
    action: Action,
    added_by,
    title: str,
    description: str = "",
    relates_to: date | None = None,
    uploaded_file=None,
    url: str = "",
    content_type: str = "",
) -> Evidence:
    """Record a file or a link as evidence. Files must already be validated by the caller's form.

    Adding is not an edit (nothing is overwritten), so it carries no version.
    """
    workflow.require_change("add_evidence", action=Action.objects.get(pk=action.pk))
    if bool(uploaded_file) == bool(url):
        raise ValidationError("Upload a file or give a link, not both.")
    evidence = Evidence(
        action=action,
        title=title.strip(),
        description=description.strip(),
        relates_to=relates_to,
        added_by=added_by,
        added_at=timezone.now(),
    )
    if uploaded_file:
        evidence.kind = EvidenceKind.FILE
        evidence.original_filename = uploaded_file.name[:255]
        evidence.size = uploaded_file.size
        evidence.content_type = content_type or getattr(uploaded_file, "content_type", "") or ""
        evidence.sha256 = file_digest(uploaded_file)
        evidence.file.save(uploaded_file.name, uploaded_file, save=False)
    else:
        evidence.kind = EvidenceKind.LINK
        evidence.url = url
    evidence._history_user = added_by
    evidence.save()
    return evidence


@transaction.atomic
def withdraw_evidence(*, evidence: Evidence, by, reason: str, expected_version: int) -> Evidence:
    """Withdraw evidence without deleting it: the record and file stay, marked withdrawn.

    Withdrawing changes what the action rests on, so it is checked against the action's
    version and raises it.
    """
    reason = reason.strip()
    action = _lock_action(action=evidence.action, expected_version=expected_version)
    workflow.require_change("withdraw_evidence", action=action)
    if not reason:
        raise ValidationError({"reason": "Enter why this evidence is being withdrawn."})
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.is_withdrawn:
        raise ValidationError("This evidence has already been withdrawn.")
    _save_action(action, by=by)
    evidence.withdrawn_at = timezone.now()
    evidence.withdrawn_by = by
    evidence.withdrawal_reason = reason
    evidence._history_user = by
    evidence.save()
    return evidence


@transaction.atomic
def mark_complete(*, action: Action, by, narrative: str, expected_version: int) -> Action:
    """Close an action as done, pending verification.

    It needs at least one current piece of evidence and a closing update saying what
    was achieved: the Inspectorate asks for evidence of impact, not of activity.
    """
    narrative = narrative.strip()
    action = _lock_action(action=action, expected_version=expected_version)
    workflow.require_move("complete", action=action, by=by)
    if not action.evidence.current().exists():
        raise ValidationError("Add at least one piece of evidence before marking this action complete.")
    if not narrative:
        raise ValidationError({"narrative": "Enter a closing update: what was achieved and what difference it made."})
    now = timezone.now()
    _log(action, by=by, at=now, narrative=narrative, status=ActionStatus.COMPLETED, rag=action.self_rag, closing=True)
    action.status = ActionStatus.COMPLETED
    action.completed_at = now
    action.completed_by = by
    action.returned_at = None
    action.returned_by = None
    action.return_reason = ""
    action.last_update_at = now
    _save_action(action, by=by)
    return action


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
    action = _lock_action(action=action, expected_version=expected_version)
    workflow.require_move("record_imported_completion", action=action, by=by)
    if not source.strip():
        raise ValidationError("Name the tracker and row this completion is imported from.")
    completed_at = _imported_moment(completed_on, field="completed_on", what="completion")
    narrative = f"Completed, as recorded in {source.strip()}. To be verified here against evidence."
    _log(action, by=by, at=completed_at, narrative=narrative, status=ActionStatus.COMPLETED, rag=action.self_rag)
    action.status = ActionStatus.COMPLETED
    action.completed_at = completed_at
    action.completed_by = by
    action.last_update_at = max(action.last_update_at or completed_at, completed_at)
    _save_action(action, by=by)
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
    action = _lock_action(action=action, expected_version=expected_version)
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
    _log(action, by=by, at=verified_at, narrative=narrative, status=ActionStatus.VERIFIED, rag=action.self_rag)
    action.status = ActionStatus.VERIFIED
    action.verified_at = verified_at
    action.verified_by = verified_by
    action.verification_imported_from = source[:300]
    action.last_update_at = max(action.last_update_at or verified_at, verified_at)
    _save_action(action, by=by)
    return action


@transaction.atomic
def verify_action(*, action: Action, by, comment: str = "", expected_version: int) -> Action:
    """Someone other than its owner and completer confirms the evidence shows the action is done."""
    action = _lock_action(action=action, expected_version=expected_version)
    workflow.require_move("verify", action=action, by=by)
    if not action.evidence.current().exists():
        raise ValidationError(
            "This action has no current evidence: all of it has been withdrawn. "
            "Return it for more evidence rather than verifying it."
        )
    now = timezone.now()
    narrative = comment.strip() or "Verified: the evidence shows this action is complete."
    _log(action, by=by, at=now, narrative=narrative, status=ActionStatus.VERIFIED, rag=action.self_rag)
    action.status = ActionStatus.VERIFIED
    action.verified_at = now
    action.verified_by = by
    action.last_update_at = now
    _save_action(action, by=by)
    return action


@transaction.atomic
def return_action(*, action: Action, by, reason: str, expected_version: int) -> Action:
    """Whoever may verify sends a completed action back for more evidence; it reopens as in progress."""
    reason = reason.strip()
    action = _lock_action(action=action, expected_version=expected_version)
    workflow.require_move("return", action=action, by=by)
    if not reason:
        raise ValidationError({"reason": "Enter what more is needed before this action can be verified."})
    now = timezone.now()
    narrative = f"Returned for more evidence: {reason}"
    _log(action, by=by, at=now, narrative=narrative, status=ActionStatus.IN_PROGRESS, rag=action.self_rag)
    action.status = ActionStatus.IN_PROGRESS
    action.completed_at = None
    action.completed_by = None
    action.returned_at = now
    action.returned_by = by
    action.return_reason = reason
    action.last_update_at = now
    _save_action(action, by=by)
    return action


@transaction.atomic
def cancel_action(*, action: Action, by, reason: str, expected_version: int) -> Action:
    """Close an action that will not be done, saying why; the reason shows in its timeline."""
    reason = reason.strip()
    action = _lock_action(action=action, expected_version=expected_version)
    workflow.require_move("cancel", action=action, by=by)
    if not reason:
        raise ValidationError({"reason": "Enter why this action is being cancelled."})
    now = timezone.now()
    _log(action, by=by, at=now, narrative=f"Cancelled: {reason}", status=ActionStatus.CANCELLED)
    action.status = ActionStatus.CANCELLED
    action.last_update_at = now
    _save_action(action, by=by)
    return action


@transaction.atomic
def reopen_action(*, action: Action, by, reason: str, expected_version: int) -> Action:
    """Open a verified or cancelled action again, in progress, saying why; the reason shows in its timeline.

    A reopened action must be completed and verified afresh, so its stamps are cleared.
    """
    reason = reason.strip()
    action = _lock_action(action=action, expected_version=expected_version)
    workflow.require_move("reopen", action=action, by=by)
    if not reason:
        raise ValidationError({"reason": "Enter why this action is being reopened."})
    now = timezone.now()
    _log(action, by=by, at=now, narrative=f"Reopened: {reason}", status=ActionStatus.IN_PROGRESS, rag=action.self_rag)
    action.status = ActionStatus.IN_PROGRESS
    action.completed_at = None
    action.completed_by = None
    action.verified_at = None
    action.verified_by = None
    action.verification_imported_from = ""
    action.last_update_at = now
    _save_action(action, by=by)
    return action


@transaction.atomic
def set_response(*, recommendation: Recommendation, response: str, rationale: str, by) -> Recommendation:
    """Record the addressee's answer to a recommendation: agreed, partly agreed or not agreed."""
    rationale = rationale.strip()
    if response not in Response.values or response == Response.AWAITING:
        raise ValidationError({"response": "Choose agreed, partly agreed or not agreed."})
    if response in (Response.PARTLY_AGREED, Response.NOT_AGREED) and not rationale:
        raise ValidationError({"rationale": "Explain why the recommendation is not fully agreed."})
    recommendation.response = response
    recommendation.response_rationale = rationale
    recommendation.response_recorded_by = by
    recommendation.response_recorded_at = timezone.now()
    recommendation._history_user = by
    recommendation.save()
    return recommendation
