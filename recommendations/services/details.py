"""What an action is, who owns it and when it is due."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import scope, workflow
from ..models import Action, DueDateRevision, PlanState, Recommendation, ResponsePlan
from .versions import lock_action, save_action


def _check_owner(*, owner, unit) -> None:
    if owner is not None and not scope.may_own_actions_of(owner, unit):
        raise ValidationError(
            {"owner": f"{owner} cannot own an action of {unit}: choose someone who works for {unit} or leads it."}
        )


def refuse_beside_a_draft_plan(*, recommendation: Recommendation, unit) -> None:
    """Refuse a new action outside the unit's response plan while the plan awaits sign-off."""
    plan = (
        ResponsePlan.objects.filter(inspection_id=recommendation.inspection_id, unit=unit)
        .exclude(state=PlanState.APPROVED)
        .select_related("unit")
        .first()
    )
    if plan is not None:
        raise ValidationError(
            f"{plan.unit.display_name}'s response plan for this inspection is {plan.get_state_display().lower()}: "
            "its actions are added on the response plan's page, and go live when the plan is approved."
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
    in_draft_plan: bool = False,
) -> Action:
    """Add an action answering the recommendation.

    While the unit's response plan for the inspection awaits sign-off, its actions are drafted
    in the plan (recommendations.plan_sign_off.draft_action passes `in_draft_plan`); added any
    other way it would skip the sign-off, so it is refused, pointing to the plan.
    """
    if not in_draft_plan:
        refuse_beside_a_draft_plan(recommendation=recommendation, unit=unit)
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
