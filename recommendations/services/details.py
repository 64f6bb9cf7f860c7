"""What an action is, who owns it and when it is due."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import scope, workflow
from ..models import Action, DueDateRevision, Recommendation
from .versions import lock_action, save_action


def _check_owner(*, owner, unit) -> None:
    if owner is not None and not scope.may_own_actions_of(owner, unit):
        raise ValidationError(
            {"owner": f"{owner} cannot own an action of {unit}: choose someone who works for {unit} or leads it."}
        )


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
    action = lock_action(action=action, expected_version=expected_version)
    workflow.require_change("edit_details", action=action)
    if unit is not None:
        action.unit = unit
    _check_owner(owner=owner, unit=action.unit)
    action.description = description
    action.owner = owner
    action.success_measure = success_measure
    action.start_date = start_date
    action.full_clean()
    save_action(action, by=by)
    return action


@transaction.atomic
def revise_due_date(*, action: Action, new_due_date: date, reason: str, by, expected_version: int) -> Action:
    """Move the current due date; the original stays, and the revision keeps its reason."""
    reason = reason.strip()
    action = lock_action(action=action, expected_version=expected_version)
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
    save_action(action, by=by)
    return action
