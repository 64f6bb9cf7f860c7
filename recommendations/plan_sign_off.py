"""Drafting a unit's response plan and signing it off.

The unit addressed drafts: its response to each recommendation and the actions that answer
it, changed freely while the plan is a draft or returned. It then submits the plan; the unit
above approves it or returns it with comments. Once approved the plan's actions are live
(Action.objects.live) and later changes go through the action workflow in
recommendations.services, like any other action's.

Permission checks (who may call what) live in recommendations.scope and are made by the
views before calling here.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import services
from .models import (
    Action,
    Inspection,
    OrgUnit,
    PlanEvent,
    PlanState,
    Recommendation,
    Response,
    ResponsePlan,
)
from .scope import responsible_unit


class StalePlanError(services.StaleEditError):
    def __init__(self):
        ValidationError.__init__(
            self,
            "Someone else changed this plan while you were looking at it. "
            "Their change has been kept: check the plan below and try again.",
            code="stale",
        )


def recommendations_in_plan(*, inspection: Inspection, unit: OrgUnit):
    """The inspection's recommendations the unit answers: made to it, or to a body it took over."""
    return Recommendation.objects.filter(inspection=inspection).addressed_to_any(
        OrgUnit.objects.answered_by(unit).values("pk")
    )


_PLAN_PEOPLE = ("unit", "submitted_by", "approved_by")


def plan_of(*, inspection: Inspection, unit: OrgUnit) -> ResponsePlan:
    """The unit's plan for the inspection, or an unsaved draft when drafting has not started."""
    plan = ResponsePlan.objects.filter(inspection=inspection, unit=unit).select_related(*_PLAN_PEOPLE).first()
    return plan or ResponsePlan(inspection=inspection, unit=unit, state=PlanState.DRAFT)


def plans_of_recommendation(recommendation: Recommendation) -> list[ResponsePlan]:
    """The plan of each body answering the recommendation, the first named first.

    A joint recommendation is answered in each addressee's own plan (the successor's, for a
    dissolved body), so each drafts, submits and has its plan signed off on its own.
    """
    units = {}
    for addressee in recommendation.addressees_in_order():
        unit = responsible_unit(addressee)
        units.setdefault(unit.pk, unit)
    started = {
        plan.unit_id: plan
        for plan in ResponsePlan.objects.filter(inspection=recommendation.inspection, unit__in=units).select_related(
            *_PLAN_PEOPLE
        )
    }
    return [
        started.get(pk) or ResponsePlan(inspection=recommendation.inspection, unit=unit, state=PlanState.DRAFT)
        for pk, unit in units.items()
    ]


def draft_plan_of(action: Action) -> ResponsePlan | None:
    """The plan awaiting sign-off that the action is a draft in; None for a live action."""
    return action.draft_plan


def _locked_plan(*, inspection: Inspection, unit: OrgUnit, expected_version: int | None = None) -> ResponsePlan:
    """The plan under a row lock, started as a draft if the unit had not begun one."""
    try:
        with transaction.atomic():
            ResponsePlan.objects.get_or_create(inspection=inspection, unit=unit)
    except IntegrityError:
        pass  # started by someone else at the same moment: theirs is read below
    plan = ResponsePlan.objects.select_for_update().select_related("unit").get(inspection=inspection, unit=unit)
    if expected_version is not None and plan.version != expected_version:
        raise StalePlanError()
    return plan


def _editable(plan: ResponsePlan) -> None:
    if not plan.is_editable:
        raise ValidationError(
            f"This plan is {plan.get_state_display().lower()}, so its draft can no longer be changed."
            if plan.state == PlanState.SUBMITTED
            else "This plan has been approved: its actions are live, and changes to them go through the action's page."
        )


def _save_plan(plan: ResponsePlan, *, by) -> None:
    plan.version += 1
    plan._history_user = by
    plan.save()


def _plan_answering(*, recommendation: Recommendation, unit: OrgUnit) -> ResponsePlan:
    """The unit's plan under a row lock, once sure the recommendation is one it answers and the plan is a draft."""
    if (
        not recommendations_in_plan(inspection=recommendation.inspection, unit=unit)
        .filter(pk=recommendation.pk)
        .exists()
    ):
        raise ValidationError(f"{recommendation.label} is not addressed to {unit.display_name}.")
    plan = _locked_plan(inspection=recommendation.inspection, unit=unit)
    _editable(plan)
    return plan


@transaction.atomic
def draft_response(
    *, recommendation: Recommendation, unit: OrgUnit, response: str, rationale: str, by
) -> Recommendation:
    """Record the unit's draft answer to a recommendation in its plan."""
    _plan_answering(recommendation=recommendation, unit=unit)
    _check_joint_response(recommendation=recommendation, unit=unit, response=response, rationale=rationale)
    return services.set_response(recommendation=recommendation, response=response, rationale=rationale, by=by)


def _check_joint_response(*, recommendation: Recommendation, unit: OrgUnit, response: str, rationale: str) -> None:
    """A joint recommendation has one response, shared by its addressees' plans: once another
    addressee's plan holding it has been submitted or approved, it is not changed from here,
    or that plan would say something its signatory never saw."""
    unchanged = recommendation.response == response and recommendation.response_rationale == rationale.strip()
    if not recommendation.response or unchanged:
        return
    signed = (PlanState.SUBMITTED, PlanState.APPROVED)
    for plan in plans_of_recommendation(recommendation):
        if plan.unit_id != unit.pk and plan.state in signed:
            raise ValidationError(
                {
                    "response": f"{recommendation.label} is made jointly, and its response is in "
                    f"{plan.unit.display_name}'s plan, which is {plan.get_state_display().lower()}: "
                    f"keep the same response and reasons, and add {unit.display_name}'s actions"
                }
            )


def _check_owner(owner, plan: ResponsePlan) -> None:
    if owner is not None and owner.unit_id != plan.unit_id:
        raise ValidationError({"owner": f"Choose an owner from {plan.unit.display_name}"})


@transaction.atomic
def draft_action(
    *,
    recommendation: Recommendation,
    unit: OrgUnit,
    by,
    description: str,
    owner,
    due_date: date,
    success_measure: str,
    start_date: date | None = None,
) -> Action:
    """Add a draft action to the unit's plan: it goes live when the plan is approved."""
    plan = _plan_answering(recommendation=recommendation, unit=unit)
    _check_owner(owner, plan)
    return services.create_action(
        recommendation=recommendation,
        description=description,
        owner=owner,
        unit=unit,
        due_date=due_date,
        created_by=by,
        success_measure=success_measure,
        start_date=start_date,
        in_draft_plan=True,
    )


@transaction.atomic
def edit_draft_action(
    *,
    action: Action,
    by,
    expected_version: int | None,
    description: str,
    owner,
    success_measure: str,
    start_date: date | None,
    due_date: date,
) -> Action:
    """Change a draft action, its due date included: before approval no date has been promised yet."""
    plan = _locked_plan(inspection=action.recommendation.inspection, unit=action.unit)
    _editable(plan)
    _check_owner(owner, plan)
    action = services.update_action_details(
        action=action,
        by=by,
        expected_version=expected_version,
        description=description,
        owner=owner,
        success_measure=success_measure,
        start_date=start_date,
    )
    if action.due_date != due_date or action.original_due_date != due_date:
        action.due_date = action.original_due_date = due_date
        action.full_clean()
        action._history_user = by
        action.save(update_fields=["due_date", "original_due_date", "updated_at"])
    return action


def missing_before_submission(*, inspection: Inspection, unit: OrgUnit) -> list[str]:
    """What the unit must still draft before its plan can be submitted, in words; empty when complete."""
    missing = []
    recommendations = recommendations_in_plan(inspection=inspection, unit=unit).order_by("number")
    with_actions = set(
        Action.objects.filter(recommendation__in=recommendations, unit=unit).values_list("recommendation", flat=True)
    )
    for recommendation in recommendations:
        if not recommendation.response:
            missing.append(f"{recommendation.label}: record whether it is agreed, partly agreed or not agreed")
        elif recommendation.response != Response.NOT_AGREED and recommendation.pk not in with_actions:
            missing.append(f"{recommendation.label}: add at least one action")
    return missing


@transaction.atomic
def submit_plan(*, inspection: Inspection, unit: OrgUnit, by, expected_version: int | None = None) -> ResponsePlan:
    """Send the draft to the unit above for sign-off: every recommendation answered, each agreed one with actions."""
    plan = _locked_plan(inspection=inspection, unit=unit, expected_version=expected_version)
    _editable(plan)
    if missing := missing_before_submission(inspection=inspection, unit=unit):
        raise ValidationError([f"Before submitting the plan – {item}." for item in missing])
    now = timezone.now()
    plan.state = PlanState.SUBMITTED
    plan.submitted_at = now
    plan.submitted_by = by
    _save_plan(plan, by=by)
    PlanEvent.objects.create(plan=plan, kind=PlanEvent.Kind.SUBMITTED, by=by, at=now)
    return plan


def _submitted(plan: ResponsePlan) -> None:
    if plan.state != PlanState.SUBMITTED:
        raise ValidationError("Only a plan submitted for sign-off can be approved or returned.")


@transaction.atomic
def return_plan(*, plan: ResponsePlan, by, comment: str, expected_version: int | None = None) -> ResponsePlan:
    """Send the plan back to the unit to amend, saying what must change."""
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": "Enter what must change before the plan can be approved"})
    plan = _locked_plan(inspection=plan.inspection, unit=plan.unit, expected_version=expected_version)
    _submitted(plan)
    plan.state = PlanState.RETURNED
    _save_plan(plan, by=by)
    PlanEvent.objects.create(plan=plan, kind=PlanEvent.Kind.RETURNED, by=by, at=timezone.now(), comment=comment)
    return plan


@transaction.atomic
def approve_plan(*, plan: ResponsePlan, by, comment: str = "", expected_version: int | None = None) -> ResponsePlan:
    """Sign the plan off: its actions go live and reminders about them start."""
    plan = _locked_plan(inspection=plan.inspection, unit=plan.unit, expected_version=expected_version)
    _submitted(plan)
    now = timezone.now()
    plan.state = PlanState.APPROVED
    plan.approved_at = now
    plan.approved_by = by
    _save_plan(plan, by=by)
    PlanEvent.objects.create(plan=plan, kind=PlanEvent.Kind.APPROVED, by=by, at=now, comment=comment.strip())
    return plan
