"""The action plan's filters: what a user can narrow the plan by, and the choices offered.

The filters work on the columns of recommendations.selectors.action_plan's rows, which
both kinds of row (actions, and recommendations with no action yet) share, so one
filter narrows both. Choices are limited to what the user can see.
"""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils.formats import date_format

from ..forms.govuk import GovUKForm
from ..models import RAG, Inspection, OrgUnit, Recommendation, Theme, User
from ..models.choices import PLAN_STATUS_CHOICES
from ..scope import inspections_visible_to

YES_NO = [("yes", "Yes"), ("no", "No")]
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]


def _by_pk(column):
    """Filter a row column by the pk of the chosen object."""

    def apply(queryset, name, value):
        return queryset.filter(**{column: value.pk})

    return apply


def _by_theme(queryset, name, value):
    tagged = Recommendation.themes.through.objects.filter(theme=value).values("recommendation_id")
    return queryset.filter(rec_pk__in=tagged)


def _by_overdue(queryset, name, value):
    return queryset.filter(is_overdue=(value == "yes"))


# The row columns each filter reads, so that a query computes only the columns it needs.
FILTER_COLUMNS = {
    "inspection": ("inspection_pk",),
    "unit": ("unit_pk",),
    "addressee": ("addressee_pk",),
    "theme": ("rec_pk",),
    "owner": ("owner_pk",),
    "status": ("plan_status",),
    "rag": ("rag_self",),
    "derived_rag": ("rag_derived",),
    "overdue": ("is_overdue",),
    "due_from": ("due_current",),
    "due_to": ("due_current",),
}


def _distinct(queryset, column):
    return queryset.order_by().values(column).distinct()


CHOICE_ERRORS = {
    "inspection": "Choose an inspection from the list",
    "unit": "Choose a unit from the list",
    "addressee": "Choose who the recommendation is addressed to from the list",
    "theme": "Choose a theme from the list",
    "owner": "Choose an owner from the list",
    "status": "Choose a status from the list",
    "rag": "Choose red, amber or green for the self-assessed RAG",
    "derived_rag": "Choose red, amber or green for the derived RAG",
    "overdue": "Choose yes or no for overdue",
}


class ActionPlanFilterForm(GovUKForm):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("due_from"), cleaned.get("due_to")
        if start and end and start > end:
            # A range that matches nothing would show an empty plan: say why instead.
            self.add_error("due_to", "The 'due on or before' date must be the same as or after the 'on or after' date")
        return cleaned


class ActionPlanFilter(django_filters.FilterSet):
    inspection = django_filters.ModelChoiceFilter(
        label="Inspection", queryset=Inspection.objects.none(), method=_by_pk("inspection_pk"), empty_label="Any"
    )
    unit = django_filters.ModelChoiceFilter(
        label="Unit responsible",
        queryset=OrgUnit.objects.none(),
        to_field_name="slug",
        method=_by_pk("unit_pk"),
        empty_label="Any",
    )
    addressee = django_filters.ModelChoiceFilter(
        label="Addressed to",
        queryset=OrgUnit.objects.none(),
        to_field_name="slug",
        method=_by_pk("addressee_pk"),
        empty_label="Any",
    )
    theme = django_filters.ModelChoiceFilter(
        label="Theme", queryset=Theme.objects.all(), to_field_name="slug", method=_by_theme, empty_label="Any"
    )
    owner = django_filters.ModelChoiceFilter(
        label="Owner", queryset=User.objects.none(), method=_by_pk("owner_pk"), empty_label="Any"
    )
    status = django_filters.MultipleChoiceFilter(
        label="Status",
        field_name="plan_status",
        choices=PLAN_STATUS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    rag = django_filters.MultipleChoiceFilter(
        label="Self-assessed RAG",
        field_name="rag_self",
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
        field_name="due_current",
        lookup_expr="gte",
        input_formats=DATE_FORMATS,
        help_text="For example, 1/4/2026",
    )
    due_to = django_filters.DateFilter(
        label="Due on or before",
        field_name="due_current",
        lookup_expr="lte",
        input_formats=DATE_FORMATS,
        help_text="For example, 31/3/2027",
    )

    def __init__(self, data=None, *, user=None, actions, recommendations, **kwargs):
        # The filters run on plan rows, not a model queryset: the queryset passed is never used.
        super().__init__(data, queryset=actions, **kwargs)
        inspections = Inspection.objects.all() if user is None else inspections_visible_to(user)
        fields = self.form.fields
        # Each list reads only what its options show: a national plan lists hundreds of
        # inspections, units and people.
        fields["inspection"].queryset = (
            Inspection.objects.filter(pk__in=inspections.values("pk"))
            .order_by("-published_on", "title")
            .only("pk", "title", "published_on")
        )
        # `among` (recommendations.lookups): each list of ids is read once, through indexes,
        # rather than tested against every unit or person in turn.
        fields["unit"].queryset = (
            OrgUnit.objects.filter(
                Q(pk__among=_distinct(actions, "unit_id")) | Q(pk__among=_distinct(recommendations, "addressed_to_id"))
            )
            .order_by("name")
            .only("pk", "slug", "name")
        )
        addressees = _distinct(recommendations, "addressed_to_id")
        fields["addressee"].queryset = (
            OrgUnit.objects.filter(pk__among=addressees).order_by("name").only("pk", "slug", "name")
        )
        fields["owner"].queryset = (
            User.objects.filter(pk__among=_distinct(actions, "owner_id"))
            .order_by("first_name", "last_name", "username")
            .only("pk", "first_name", "last_name", "username")
        )
        for name in ("due_from", "due_to"):
            fields[name].error_messages["invalid"] = "Enter a real date, for example 27/3/2026"
        for name, message in CHOICE_ERRORS.items():
            fields[name].error_messages["invalid_choice"] = message

    class Meta:
        form = ActionPlanFilterForm

    def columns_used(self) -> set[str]:
        """The row columns the filters in use read (see FILTER_COLUMNS)."""
        cleaned = getattr(self.form, "cleaned_data", {})
        return {
            column
            for name, value in cleaned.items()
            if value not in (None, "", [], ())
            for column in FILTER_COLUMNS.get(name, ())
        }

    def selected_filters(self, query, *, path: str) -> list[dict]:
        """The filters in use, as MoJ 'selected filters' categories: a tag per value, each
        linking to the same page without that value (and back to page 1)."""
        cleaned = getattr(self.form, "cleaned_data", {})
        categories = []
        for name, field in self.form.fields.items():
            value = cleaned.get(name)
            if value in (None, "", []):
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
