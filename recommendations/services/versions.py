"""The row lock and version check every edit of an action shares (optimistic concurrency)."""

from django.core.exceptions import ValidationError

from ..models import Action, ProgressUpdate


class StaleEditError(ValidationError):
    """Someone else changed the action since the user opened it."""

    def __init__(self):
        super().__init__(
            "Someone else changed this action while you were editing it. "
            "Their change has been kept: check the latest details below and try again.",
            code="stale",
        )


def lock_action(*, action: Action, expected_version: int | None, check_version: bool = True) -> Action:
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


def save_action(action: Action, *, by) -> None:
    """Save an edit, raising the version so that edits made against the old one are refused."""
    action.version += 1
    action._history_user = by
    action.save()


def log(action: Action, *, by, at, narrative: str, status: str, rag: str = "", closing: bool = False):
    """Append an entry to the action's progress log (its timeline)."""
    return ProgressUpdate.objects.create(
        action=action, author=by, created_at=at, narrative=narrative, status=status, rag=rag, is_closing=closing
    )
