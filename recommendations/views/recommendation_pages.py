"""A recommendation's page, its response and new actions answering it."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from .. import plan_sign_off, scope, services
from ..forms.plan import NewActionForm, ResponseForm
from ..selectors.challenges import threads_for
from ..selectors.recommendation_list import recommendation_list as find_recommendations
from ..selectors.recommendations import (
    get_visible_recommendation,
    owners_for_units,
    recommendation_page,
    units_for_new_actions,
)
from ..tables.action_plan import RecommendationTable
from .form_pages import ServiceFormView


@require_safe
def recommendation_list(request):
    """Every recommendation the user can see, filtered; dashboards link here for the recommendations they count."""
    filterset = find_recommendations(user=request.user, params=request.GET)
    table = RecommendationTable(filterset.qs)
    RequestConfig(request).configure(table)
    context = {
        "table": table,
        "form": filterset.form,
        "selected_filters": filterset.selected_filters(request.GET, path=request.path),
    }
    return render(request, "recommendations/recommendation_list.html", context)


@require_safe
def recommendation_detail(request, pk):
    recommendation = get_visible_recommendation(user=request.user, pk=pk)
    page = recommendation_page(user=request.user, recommendation=recommendation, today=timezone.localdate())
    plans = plan_sign_off.plans_of_recommendation(recommendation)
    context = {
        "page": page,
        "recommendation": page.recommendation,
        "can_view_history": page.can_view_history,
        "plans": plans,
        "drafting_plans": [plan for plan in plans if plan.pk and not plan.is_approved],
        "threads": threads_for(recommendation, user=request.user),
        "can_challenge": scope.can_challenge(request.user, recommendation),
    }
    return render(request, "recommendations/recommendation_detail.html", context)


class RecommendationFormView(ServiceFormView):
    template_name = "recommendations/recommendation_form.html"

    def load(self, pk):
        return get_visible_recommendation(user=self.request.user, pk=pk)

    def allowed(self):
        return scope.can_manage_plan(self.request.user, self.object)

    def success_url(self):
        return reverse("recommendations:recommendation_detail", args=[self.object.pk])

    def context(self):
        return {"recommendation": self.object}


class SetResponseView(RecommendationFormView):
    form_class = ResponseForm
    heading = "Record the response"
    button_text = "Save response"
    success_message = "Response saved."

    def initial(self):
        return {"response": self.object.response or None, "rationale": self.object.response_rationale}

    def perform(self, form):
        services.set_response(
            recommendation=self.object,
            response=form.cleaned_data["response"],
            rationale=form.cleaned_data["rationale"],
            by=self.request.user,
        )


class NewActionView(RecommendationFormView):
    form_class = NewActionForm
    heading = "Add an action"
    button_text = "Add action"
    success_message = "Action added."

    def form_kwargs(self):
        units = units_for_new_actions(user=self.request.user)
        return {"units": units, "owners": owners_for_units(units)}

    def initial(self):
        addressee = self.object.addressed_to
        return {"unit": addressee.successor_id or addressee.pk}

    def perform(self, form):
        data = form.cleaned_data
        self.created = services.create_action(
            recommendation=self.object,
            description=data["description"],
            owner=data["owner"],
            unit=data["unit"],
            due_date=data["due_date"],
            created_by=self.request.user,
            success_measure=data["success_measure"],
            start_date=data["start_date"],
        )

    def success_url(self):
        return reverse("recommendations:action_detail", args=[self.created.pk])
