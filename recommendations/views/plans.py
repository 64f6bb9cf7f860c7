"""A unit's response plan: drafting responses and actions, submitting, and signing it off."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .. import plan_sign_off, scope
from ..forms.plan import ResponseForm
from ..forms.plan_sign_off import DraftActionForm, EditDraftActionForm, SignOffForm, SubmitPlanForm
from ..models import Action, PlanState
from ..selectors.plans import PLAN_TAG_CLASSES, get_visible_plan, plan_page
from ..selectors.recommendations import owners_for_units
from .form_pages import ServiceFormView


def plan_url(plan) -> str:
    return reverse("recommendations:response_plan", args=[plan.inspection_id, plan.unit.slug])


@require_safe
def plan_detail(request, inspection, unit):
    plan = get_visible_plan(user=request.user, inspection_pk=inspection, unit_slug=unit)
    page = plan_page(user=request.user, plan=plan)
    context = {"page": page, "plan": plan, "tag_class": PLAN_TAG_CLASSES[plan.state]}
    return render(request, "plans/plan_detail.html", context)


class PlanFormView(ServiceFormView):
    """A form about a unit's plan; the address names the inspection and the unit."""

    template_name = "plans/plan_form.html"

    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, None)

    def load(self, pk):
        return get_visible_plan(
            user=self.request.user, inspection_pk=self.kwargs["inspection"], unit_slug=self.kwargs["unit"]
        )

    @property
    def plan(self):
        return self.object

    def allowed(self):
        return scope.can_draft_plan(self.request.user, self.plan)

    def refusal(self):
        if not self.plan.is_editable:
            return f"This plan is {self.plan.get_state_display().lower()}: its draft can no longer be changed."
        return ""

    def success_url(self):
        return plan_url(self.plan)

    def context(self):
        return {"plan": self.plan, "plan_url": plan_url(self.plan)}

    def current_version(self):
        return self.plan.version

    def recommendation(self):
        recommendations = plan_sign_off.recommendations_in_plan(inspection=self.plan.inspection, unit=self.plan.unit)
        return get_object_or_404(recommendations.select_related("inspection", "addressed_to"), pk=self.kwargs["rec"])

    def owners(self):
        return owners_for_units([self.plan.unit])


class DraftResponseView(PlanFormView):
    form_class = ResponseForm
    heading = "Response to the recommendation"
    button_text = "Save draft response"
    success_message = "Draft response saved."

    def context(self):
        return {**super().context(), "recommendation": self.recommendation()}

    def initial(self):
        recommendation = self.recommendation()
        return {"response": recommendation.response or None, "rationale": recommendation.response_rationale}

    def perform(self, form):
        plan_sign_off.draft_response(
            recommendation=self.recommendation(),
            unit=self.plan.unit,
            response=form.cleaned_data["response"],
            rationale=form.cleaned_data["rationale"],
            by=self.request.user,
        )


class DraftActionView(PlanFormView):
    form_class = DraftActionForm
    heading = "Add a draft action"
    button_text = "Save draft action"
    success_message = "Draft action saved."

    def context(self):
        return {**super().context(), "recommendation": self.recommendation()}

    def form_kwargs(self):
        return {"owners": self.owners()}

    def perform(self, form):
        data = form.cleaned_data
        plan_sign_off.draft_action(
            recommendation=self.recommendation(),
            unit=self.plan.unit,
            by=self.request.user,
            description=data["description"],
            owner=data["owner"],
            due_date=data["due_date"],
            success_measure=data["success_measure"],
            start_date=data["start_date"],
        )


class EditDraftActionView(PlanFormView):
    form_class = EditDraftActionForm
    heading = "Change a draft action"
    button_text = "Save draft action"
    success_message = "Draft action saved."

    def draft(self) -> Action:
        if not hasattr(self, "_draft"):
            actions = Action.objects.filter(unit=self.plan.unit, recommendation__inspection=self.plan.inspection)
            self._draft = get_object_or_404(
                actions.select_related("recommendation__addressed_to"), pk=self.kwargs["action"]
            )
        return self._draft

    def context(self):
        return {**super().context(), "recommendation": self.draft().recommendation}

    def form_kwargs(self):
        return {"owners": self.owners()}

    def initial(self):
        action = self.draft()
        return {
            "version": action.version,
            "description": action.description,
            "owner": action.owner_id,
            "success_measure": action.success_measure,
            "start_date": action.start_date,
            "due_date": action.due_date,
        }

    def current_version(self):
        return Action.objects.get(pk=self.draft().pk).version

    def perform(self, form):
        data = form.cleaned_data
        plan_sign_off.edit_draft_action(
            action=self.draft(),
            by=self.request.user,
            expected_version=data["version"],
            description=data["description"],
            owner=data["owner"],
            success_measure=data["success_measure"],
            start_date=data["start_date"],
            due_date=data["due_date"],
        )


class SubmitPlanView(PlanFormView):
    form_class = SubmitPlanForm
    template_name = "plans/submit_form.html"
    heading = "Submit the plan for sign-off"
    button_text = "Submit for sign-off"
    success_message = "Plan submitted for sign-off."

    def initial(self):
        return {"version": self.plan.version}

    def context(self):
        missing = plan_sign_off.missing_before_submission(inspection=self.plan.inspection, unit=self.plan.unit)
        return {**super().context(), "missing": missing}

    def perform(self, form):
        plan_sign_off.submit_plan(
            inspection=self.plan.inspection,
            unit=self.plan.unit,
            by=self.request.user,
            expected_version=form.cleaned_data["version"] if self.plan.pk else None,
        )


class SignOffView(PlanFormView):
    form_class = SignOffForm
    heading = "Sign off the plan"
    button_text = "Save decision"

    def allowed(self):
        return scope.can_sign_off_plan(self.request.user, self.plan)

    def refusal(self):
        return "" if self.plan.state == PlanState.SUBMITTED else "This plan is not waiting for sign-off."

    def initial(self):
        return {"version": self.plan.version}

    def perform(self, form):
        data = form.cleaned_data
        if data["decision"] == SignOffForm.APPROVE:
            plan_sign_off.approve_plan(
                plan=self.plan, by=self.request.user, comment=data["comment"], expected_version=data["version"]
            )
            self.success_message = "Plan approved. Its actions are now live."
        else:
            plan_sign_off.return_plan(
                plan=self.plan, by=self.request.user, comment=data["comment"], expected_version=data["version"]
            )
            self.success_message = "Plan returned with your comments."
