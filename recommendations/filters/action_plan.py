"""The action plan's filters: what a user can narrow the plan by, and the choices offered.

ActionPlanFilter narrows the plan's actions (recommendations.selectors.action_plan.plan_actions);
UnansweredRecommendationFilter narrows the recommendations that have no action yet by the
same parameters where they apply (inspection, unit, addressee, theme). The parameter names
are the plan's addresses: dashboards and other pages link to the plan with them. Choices
are limited to what the user can see.
"""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.formats import date_format

from ..forms.govuk import GovUKForm
from ..models import RAG, Inspection, OrgUnit, Recommendation, Theme, User
from ..models.choices import NO_ACTION, NO_ACTION_LABEL, PLAN_STATUS_CHOICES  # noqa: F401 (the status filter's vocabulary)
from ..scope import Scope
from .choices import FetchedChoiceFilter
from .units import UNIT_GROUPS, narrow_to_group, region_choices, region_filter, superseded_filter

YES_NO = [("yes", "Yes"), ("no", "No")]
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]

# Filters that only an action can match: while one is in use, recommendations with no action are not shown.
ACTION_ONLY_FILTERS = ("owner", "rag", "derived_rag", "overdue", "due_from", "due_to")
# How the other filters narrow a recommendation with no action: until an action names its
# unit, the recommendation's addressees (each of them, when it is addressed jointly) are the units expected to act.
UNANSWERED_LOOKUPS = {
    "inspection": "inspection",
    "unit": "addressees",
    "addressee": "addressees",
    "theme": "themes",
}


def _by_overdue(queryset, name, value):
    return queryset.filter(is_overdue=(value == "yes"))


CHOICE_ERRORS = {
    "inspection": "Choose an inspection from the list",
    "unit": "Choose a unit from the list",
    "addressee": "Choose who the recommendation is addressed to from the list",
    "theme": "Choose a theme from the list",
    "region": "Choose a region from the list",
    "superseded": "Choose today's units, dissolved bodies or both",
    "owner": "Choose an owner from the list",
    "status": "Choose a status from the list",
    "rag": "Choose red, amber or green for the self-assessed RAG",
    "derived_rag": "Choose red, amber or green for the derived RAG",
    "overdue": "Choose yes or no for overdue",
}


class SelectedFilters:
    """For a FilterSet: the values chosen, and the filters in use as the MoJ filter component shows them."""

    def _chosen(self) -> dict:
        cleaned = getattr(self.form, "cleaned_data", {})
        return {name: value for name, value in cleaned.items() if value not in (None, "", [], ())}

    def selected_filters(self, query, *, path: str) -> list[dict]:
        """The filters in use, as MoJ 'selected filters' categories: a tag per value, each
        linking to the same page without that value (and back to page 1)."""
        chosen = self._chosen()
        categories = []
        for name, field in self.form.fields.items():
            value = chosen.get(name)
            if value is None:
                continue
            if isinstance(value, list):
                labels = dict(field.choices)
                items = [(labels.get(v, v), _without(query, name, v)) for v in value]
            else:
                items = [(_describe(field, value), _without(query, name))]
            categories.append(
                {
                    "heading": field.label,
                    "items": [{"text": text, "href": f"{path}?{qs}" if qs else path} for text, qs in items],
                }
            )
        return categories


class ActionPlanFilterForm(GovUKForm):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("due_from"), cleaned.get("due_to")
        if start and end and start > end:
            # A range that matches nothing would show an empty plan: say why instead.
            self.add_error("due_to", "The 'due on or before' date must be the same as or after the 'on or after' date")
        return cleaned


class ActionPlanFilter(SelectedFilters, django_filters.FilterSet):
    inspection = FetchedChoiceFilter(
        label="Inspection",
        field_name="recommendation__inspection",
        queryset=Inspection.objects.none(),
        empty_label="Any",
    )
    unit = FetchedChoiceFilter(
        label="Unit responsible",
        field_name="unit",
        queryset=OrgUnit.objects.none(),
        to_field_name="slug",
        empty_label="Any",
    )
    addressee = FetchedChoiceFilter(
        label="Addressed to",
        field_name="recommendation__addressees",
        queryset=OrgUnit.objects.none(),
        to_field_name="slug",
        empty_label="Any",
    )
    region = region_filter("unit")
    superseded = superseded_filter("unit")
    theme = FetchedChoiceFilter(
        label="Theme",
        field_name="recommendation__themes",
        queryset=Theme.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Any",
    )
    owner = FetchedChoiceFilter(label="Owner", field_name="owner", queryset=User.objects.none(), empty_label="Any")
    status = django_filters.MultipleChoiceFilter(
        label="Status",
        field_name="status",
        choices=PLAN_STATUS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    rag = django_filters.MultipleChoiceFilter(
        label="Self-assessed RAG",
        field_name="self_rag",
        choices=RAG.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    derived_rag = django_filters.MultipleChoiceFilter(
        label="Derived RAG",
        field_name="rag_derived",
        choices=RAG.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    overdue = django_filters.ChoiceFilter(label="Overdue", choices=YES_NO, method=_by_overdue, empty_label="Any")
    due_from = django_filters.DateFilter(
        label="Due on or after",
        field_name="due_date",
        lookup_expr="gte",
        input_formats=DATE_FORMATS,
        help_text="For example, 1/4/2026",
    )
    due_to = django_filters.DateFilter(
        label="Due on or before",
        field_name="due_date",
        lookup_expr="lte",
        input_formats=DATE_FORMATS,
        help_text="For example, 31/3/2027",
    )

    def __init__(self, data=None, *, queryset, user=None, scope: Scope | None = None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        fields = self.form.fields
        if user is None:
            everything = True
            inspections, units = Inspection.objects.all(), OrgUnit.objects.all()
            actions, recommendations = queryset.model.objects.all(), Recommendation.objects.all()
        else:
            scope = scope or Scope(user)
            everything = scope.everything
            inspections, units = scope.inspections, scope.units
            actions, recommendations = scope.actions, scope.recommendations
        # Each list reads only what its options show (FetchedChoiceFilter).
        fields["inspection"].queryset = (
            Inspection.objects.filter(pk__in=inspections.values("pk"))
            .only("title", "published_on")
            .order_by("-published_on", "title")
        )
        unit_choices = units
        if not everything:
            # Also HMPPS where it answers the user's inspections (a regional dashboard's HMPPS row).
            acting = actions.order_by().values("unit_id")
            addressed = recommendations.order_by().values("addressees")
            unit_choices = OrgUnit.objects.filter(Q(pk__in=scope.unit_pks) | Q(pk__in=acting) | Q(pk__in=addressed))
        fields["unit"].queryset = unit_choices.only("name", "slug").order_by("name")
        known_regions = None if user is None else scope.regions()
        fields["region"].choices = region_choices(units, outside=everything, known=known_regions)
        fields["addressee"].queryset = (
            OrgUnit.objects.filter(pk__in=recommendations.values("addressees")).only("name", "slug").order_by("name")
        )
        fields["theme"].queryset = fields["theme"].queryset.only("name", "slug")
        if everything:
            # Every owner in the country: each person is asked whether they own an action
            # (by the owner index), rather than the 50,000 actions read for their owners.
            owners = Exists(actions.filter(owner=OuterRef("pk")))
        else:
            # The few distinct owners first, then their rows: a semi-join from every user to their
            # actions tested each of a region's actions against the scope, one user at a time.
            owners = Q(pk__among=actions.order_by().values("owner_id").distinct())
        fields["owner"].queryset = (
            User.objects.filter(owners)
            .only("first_name", "last_name", "username")
            .order_by("first_name", "last_name", "username")
        )
        for name in ("due_from", "due_to"):
            fields[name].error_messages["invalid"] = "Enter a real date, for example 27/3/2026"
        for name, message in CHOICE_ERRORS.items():
            fields[name].error_messages["invalid_choice"] = message

    class Meta:
        form = ActionPlanFilterForm

    def includes_unanswered(self) -> bool:
        """Whether recommendations with no action yet belong in what the filters ask for."""
        chosen = self._chosen()
        if any(name in chosen for name in ACTION_ONLY_FILTERS):
            return False
        return "status" not in chosen or NO_ACTION in chosen["status"]

    def filter_unanswered(self, recommendations):
        """`recommendations` (with no action yet) narrowed as the chosen filters narrow the actions;
        none when a filter that only an action can match is in use."""
        if not self.includes_unanswered():
            return recommendations.none()
        chosen = self._chosen()
        for name, lookup in UNANSWERED_LOOKUPS.items():
            if name in chosen:
                recommendations = recommendations.filter(**{lookup: chosen[name]})
        for name in UNIT_GROUPS:
            if name in chosen:
                recommendations = narrow_to_group(recommendations, name, chosen[name])
        return recommendations


def _describe(field, value) -> str:
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    if isinstance(value, OrgUnit):
        return value.name
    if isinstance(value, str) and hasattr(field, "choices"):
        return dict(field.choices).get(value, value)
    return str(value)


def _without(query, name, value=None) -> str:
    remaining = query.copy()
    remaining.pop("page", None)
    if value is None:
        remaining.pop(name, None)
    else:
        remaining.setlist(name, [v for v in remaining.getlist(name) if v != value])
    return remaining.urlencode()
