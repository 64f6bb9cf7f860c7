"""Template tags that let other pages show reporting's panels with one line each.

{% load reporting_tags %}
{% recommendation_measures recommendation %}   measures of impact, with a form for those who may record
{% unit_measures unit %}                       measures of impact for a dashboard (a unit and the units under it)
{% key_questions_followed questions as f %}    an inspection's key questions with the measures that follow them
{% earlier_recommendations recommendation %}   the same themes in earlier inspections of this unit
{% plan_downloads query %}                     XLSX and PDF of the action plan, with the page's filters
{% progress_chart unit %}                      burn-up of a unit's actions (of a dashboard's months when given)
{% national_progress dashboard %}              burn-up of every action, and of each region, on the national dashboard
"""

from dataclasses import dataclass

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from recommendations.models import OrgUnit
from recommendations.scope import actions_visible_to, can_record_measure_reading

from ..forms import MeasureReadingForm
from ..selectors.measures import key_question_follow_ups, measures_for_recommendation, measures_for_units
from ..selectors.plan_document import units_covered
from ..selectors.progress import MonthProgress, burn_up_chart, grouped_progress, progress_by_month, progress_from_counts
from ..selectors.progress import progress_chart as build_progress_chart
from ..selectors.themes import earlier_recommendations as find_earlier_recommendations

register = template.Library()


def _items(user, summaries):
    items, allowed = [], {}
    for summary in summaries:
        form = None
        unit = summary.measure.unit
        if unit.pk not in allowed:  # one check per unit, not per measure
            allowed[unit.pk] = can_record_measure_reading(user, unit)
        if allowed[unit.pk]:
            form = MeasureReadingForm(measure=summary.measure, auto_id=f"measure-{summary.measure.pk}-%s")
        items.append({"summary": summary, "form": form})
    return items


@register.inclusion_tag("reporting/includes/measures.html", takes_context=True)
def recommendation_measures(context, recommendation):
    request = context["request"]
    summaries = measures_for_recommendation(request.user, recommendation)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "recommendation": recommendation,
        "items": _items(request.user, summaries),
    }


@register.inclusion_tag("reporting/includes/measures.html", takes_context=True)
def unit_measures(context, units):
    """`units` is a unit (taken with the units under it) or a list or queryset of units."""
    request = context["request"]
    if isinstance(units, OrgUnit):
        units = units_covered(units)
    summaries = measures_for_units(request.user, units)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "items": _items(request.user, summaries),
    }


@register.simple_tag(takes_context=True)
def key_questions_followed(context, key_questions):
    """The key questions with the measures that follow them (KeyQuestionFollowUps)."""
    return key_question_follow_ups(context["request"].user, key_questions)


@register.simple_tag(takes_context=True)
def earlier_recommendations(context, recommendation):
    """What earlier inspections of this unit said on the same themes, and what became of it."""
    request = context["request"]
    themes = getattr(recommendation, "theme_list", None)
    has_themes = bool(themes) if themes is not None else recommendation.themes.exists()
    earlier = find_earlier_recommendations(request.user, recommendation) if has_themes else []
    return render_to_string(
        "reporting/includes/earlier_recommendations.html",
        {"recommendation": recommendation, "earlier": earlier, "has_themes": has_themes},
        request,
    )


@register.inclusion_tag("reporting/includes/plan_downloads.html", takes_context=True)
def plan_downloads(context, query=None, style="links"):
    """`query`: the filters as an urlencoded string (the page's own GET parameters when not given).

    `style` "buttons" draws secondary buttons, for the action plan page's button menu.
    """
    if query is None:
        query = context["request"].GET.urlencode()
    return {"query": query, "as_buttons": style == "buttons"}


@register.inclusion_tag("reporting/includes/progress.html", takes_context=True)
def progress_chart(context, unit, counts=None):
    """`counts`: the unit's actions counted by month already (a dashboard's `months`), or None to count them here."""
    if counts is not None:
        months = progress_from_counts(counts, today=timezone.localdate())
    else:
        actions = actions_visible_to(context["request"].user).in_figures_of(unit)
        months = progress_by_month(actions, today=timezone.localdate())
    return {
        "unit": unit,
        "months": months,
        "chart": build_progress_chart(unit, months),
        "compact": True,
        "request": context["request"],
    }


# What the whole of the service's plan is called on the national dashboard.
NATIONAL_NAME = "England and Wales"


@dataclass
class RegionProgress:
    region: OrgUnit
    months: list[MonthProgress]

    @property
    def latest(self):
        return self.months[-1] if self.months else None


@register.inclusion_tag("reporting/includes/national_progress.html", takes_context=True)
def national_progress(context, dashboard):
    """`dashboard`: the national dashboard, whose `months_by_region` are counted from its parts.

    The whole is charted; each region's figures are in a table, each linking to the region's
    progress page, where its own chart is (the same months: see reporting.selectors.progress).
    """
    progress = grouped_progress(dashboard.months_by_region, today=timezone.localdate())
    regions = [row.region for row in dashboard.regions if row.region is not None]
    return {
        "name": NATIONAL_NAME,
        "months": progress.whole,
        "chart": burn_up_chart(chart_id="progress-national", name=NATIONAL_NAME, months=progress.whole),
        "regions": [RegionProgress(region, progress.groups.get(region.pk, [])) for region in regions],
        # HMPPS's own actions and those of units outside any region: in the whole, not in a region.
        "outside": (progress.groups.get(None) or [None])[-1],
        "request": context["request"],
    }
