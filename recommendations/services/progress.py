"""The progress log: updates appended to an action, moving it among the open statuses."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import workflow
from ..models import OPEN_STATUSES, Action, ProgressUpdate
from .versions import StaleEditError, lock_action, log


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
    action = lock_action(action=action, expected_version=None, check_version=False)
    workflow.require_move("progress", action=action, by=author)
    moves = status != action.status
    if moves and (expected_version is None or action.version != expected_version):
        raise StaleEditError()
    now = timezone.now()
    update = log(action, by=author, at=now, narrative=narrative, status=status, rag=rag)
    action.status = status
    if rag:
        action.self_rag = rag
    action.last_update_at = now
    action._history_user = author
    if moves:
        action.version += 1
    action.save()
    return update
