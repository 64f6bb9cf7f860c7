"""Response plans as their pages show them: the recommendations a unit answers, its draft
responses and actions, and the plan's sign-off so far."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import scope
from ..models import Action, Inspection, OrgUnit, PlanEvent, PlanState, Recommendation, ResponsePlan
from ..plan_sign_off import missing_before_submission, plan_of, recommendations_in_plan


@dataclass
class PlanPage:
    plan: ResponsePlan
    recommendations: list
    events: list
    missing: list[str]
    can_draft: bool
    can_sign_off: bool
    latest_return: PlanEvent | None = None
    unit_actions: dict = field(default_factory=dict)

    @property
    def state_label(self):
        if self.plan.pk is None:
            return "Not started"
        return self.plan.get_state_display()


PLAN_TAG_CLASSES = {
    PlanState.DRAFT: "govuk-tag--grey",
    PlanState.SUBMITTED: "govuk-tag--blue",
    PlanState.RETURNED: "govuk-tag--orange",
    PlanState.APPROVED: "govuk-tag--green",
}


def get_visible_plan(*, user, inspection_pk: int, unit_slug: str) -> ResponsePlan:
    """The unit's plan for the inspection (unsaved when not started), if the user may see it; 404 otherwise."""
    inspection = get_object_or_404(scope.inspections_visible_to(user), pk=inspection_pk)
    unit = get_object_or_404(scope.visible_units(user).filter(is_legacy=False), slug=unit_slug)
    if not recommendations_in_plan(inspection=inspection, unit=unit).exists():
        raise Http404("This inspection made no recommendations to this unit.")
    plan = plan_of(inspection=inspection, unit=unit)
    plan.inspection, plan.unit = inspection, unit
    return plan


def plan_page(*, user, plan: ResponsePlan) -> PlanPage:
    actions = Action.objects.filter(unit=plan.unit).select_related("owner").order_by("due_date", "id")
    recommendations = list(
        recommendations_in_plan(inspection=plan.inspection, unit=plan.unit)
        .select_related("addressed_to")
        .prefetch_related(Prefetch("actions", queryset=actions, to_attr="plan_actions"))
        .order_by("number")
    )
    events = list(plan.events.select_related("by").order_by("-at", "-id")) if plan.pk else []
    latest_return = next((e for e in events if e.kind == PlanEvent.Kind.RETURNED), None)
    return PlanPage(
        plan=plan,
        recommendations=recommendations,
        events=events,
        missing=missing_before_submission(inspection=plan.inspection, unit=plan.unit),
        can_draft=scope.can_draft_plan(user, plan),
        can_sign_off=scope.can_sign_off_plan(user, plan),
        latest_return=latest_return if plan.state == PlanState.RETURNED else None,
    )


@dataclass
class PlanSummary:
    plan: ResponsePlan
    state_label: str
    tag_class: str


def _summary(plan: ResponsePlan) -> PlanSummary:
    label = plan.get_state_display() if plan.pk else "Not started"
    return PlanSummary(plan=plan, state_label=label, tag_class=PLAN_TAG_CLASSES[plan.state])


def plans_for_inspection(*, user, inspection) -> list[PlanSummary]:
    """Each current unit the inspection's recommendations go to (among those the user sees), with its plan."""
    addressed = inspection.recommendations.values("addressees")
    units = (
        scope.visible_units(user)
        .filter(is_legacy=False)
        .filter(pk__in=OrgUnit.objects.filter(pk__in=addressed).values("pk"))
        | scope.visible_units(user).filter(is_legacy=False, predecessors__in=addressed)
    ).distinct()
    plans = {plan.unit_id: plan for plan in ResponsePlan.objects.filter(inspection=inspection)}
    summaries = []
    for unit in units.order_by("name"):
        plan = plans.get(unit.pk) or ResponsePlan(inspection=inspection, unit=unit, state=PlanState.DRAFT)
        plan.inspection, plan.unit = inspection, unit
        summaries.append(_summary(plan))
    return summaries


def plans_needing(*, user) -> dict:
    """For My work: the plans of the user's unit still to draft or amend, and those waiting for their sign-off."""
    to_draft = []
    unit = user.unit if user.is_authenticated and user.unit_id else None
    if (
        (
            unit is not None
            and not unit.is_legacy
            and scope.drafts_for_unit(user, unit)
            and not scope.sees_everything(user)
        )
        or unit is not None
        and user.is_national_viewer
        and scope.drafts_for_unit(user, unit)
    ):
        to_draft = _unapproved_plans_of(unit)
    to_sign_off = list(
        scope.plans_awaiting_sign_off_by(user).select_related("inspection", "unit").order_by("submitted_at")
    )
    return {"to_draft": [_summary(plan) for plan in to_draft], "to_sign_off": [_summary(plan) for plan in to_sign_off]}


def _unapproved_plans_of(unit) -> list[ResponsePlan]:
    """The unit's plans not yet approved, including inspections it has not started answering."""
    inspections = Inspection.objects.filter(
        pk__in=Recommendation.objects.addressed_to_any(OrgUnit.objects.answered_by(unit).values("pk")).values(
            "inspection"
        )
    ).order_by("-published_on", "title")
    plans = {plan.inspection_id: plan for plan in ResponsePlan.objects.filter(unit=unit, inspection__in=inspections)}
    unapproved = []
    for inspection in inspections:
        plan = plans.get(inspection.pk) or ResponsePlan(inspection=inspection, unit=unit, state=PlanState.DRAFT)
        if plan.state != PlanState.APPROVED:
            plan.inspection, plan.unit = inspection, unit
            unapproved.append(plan)
    return unapproved
