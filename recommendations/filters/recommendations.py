"""The recommendations list's filters: the plan's where they apply to a recommendation, and whether it is done.

Dashboards link here for the figures that count recommendations (how many, how many done),
with the same parameter names as the plan's (recommendations.filters.action_plan).
"""

import django_filters

from ..forms.govuk import GovUKForm
from ..models import Inspection, OrgUnit
from ..scope import inspections_visible_to, recommendations_visible_to, sees_everything, visible_units
from .action_plan import CHOICE_ERRORS, YES_NO, SelectedFilters
from .units import region_choices, region_filter, superseded_filter


def _by_done(queryset, name, value):
    # `done` is recommendation_done(), annotated by the list's selector (RecommendationQuerySet.with_done).
    return queryset.filter(done=(value == "yes"))


class RecommendationFilter(SelectedFilters, django_filters.FilterSet):
    inspection = django_filters.ModelChoiceFilter(
        label="Inspection", field_name="inspection", queryset=Inspection.objects.none(), empty_label="Any"
    )
    addressee = django_filters.ModelChoiceFilter(
        label="Addressed to",
        field_name="addressees",
        queryset=OrgUnit.objects.none(),
        to_field_name="slug",
        empty_label="Any",
    )
    region = region_filter("addressed_to")
    superseded = superseded_filter("addressed_to")
    done = django_filters.ChoiceFilter(
        label="Done (every action verified or cancelled, one verified)",
        choices=YES_NO,
        method=_by_done,
        empty_label="Any",
    )

    class Meta:
        form = GovUKForm

    def __init__(self, data=None, *, queryset, user, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        fields = self.form.fields
        recommendations = recommendations_visible_to(user)
        fields["inspection"].queryset = Inspection.objects.filter(
            pk__in=inspections_visible_to(user).values("pk")
        ).order_by("-published_on", "title")
        fields["addressee"].queryset = OrgUnit.objects.filter(pk__in=recommendations.values("addressees")).order_by(
            "name"
        )
        fields["region"].choices = region_choices(visible_units(user), outside=sees_everything(user))
        for name in ("inspection", "addressee", "region", "superseded"):
            fields[name].error_messages["invalid_choice"] = CHOICE_ERRORS[name]
        fields["done"].error_messages["invalid_choice"] = "Choose yes or no for done"
