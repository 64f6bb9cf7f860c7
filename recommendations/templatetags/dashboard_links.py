"""Dashboard figures as links to the rows they count: the action plan or the recommendations list, filtered."""

from functools import lru_cache
from urllib.parse import urlencode

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html

from ..selectors.dashboards import PLAN, figure_filters

register = template.Library()

# What each figure counts, for screen readers: "overdue actions of Derby City".
FIGURE_LABELS = {
    "actions": "actions",
    "not_started": "actions not started",
    "in_progress": "actions in progress",
    "blocked": "blocked actions",
    "completed": "actions awaiting verification",
    "awaiting_verification": "actions awaiting verification",
    "verified": "verified actions",
    "cancelled": "cancelled actions",
    "overdue": "overdue actions",
    "red": "red actions",
    "amber": "amber actions",
    "green": "green actions",
    "recommendations": "recommendations",
    "without_action": "recommendations with no action yet",
    "ready": "recommendations done",
}


@lru_cache(maxsize=16)
def _address(view, script_prefix):
    """A view's address, worked out once: a dashboard has hundreds of figures linking to two
    views, and reversing each was a sixth of the regional dashboard's time. The script prefix
    (the path the service is mounted at) is part of the key, as `reverse` reads it."""
    return reverse(view)


def _link(view, filters, text, label=""):
    query = urlencode({name: value for name, value in filters.items() if value not in (None, "")}, doseq=True)
    href = f"{_address(view, get_script_prefix())}?{query}"
    if not label:
        return format_html('<a class="govuk-link" href="{}">{}</a>', href, text)
    return format_html(
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>', href, text, label
    )


@register.simple_tag
def figure(group, name, text=None):
    """The figure `name` of `group` (a dashboard row with `figures`, `filters` and `name`), linking to
    exactly the rows it counts (selectors.dashboards.figure_filters).

    The number is the link's text, with what it counts for screen readers; or `text`, a phrase that says it all.
    """
    view, filters = figure_filters(group.filters, name)
    if text is not None:
        return _link(view, filters, text)
    return _link(view, filters, getattr(group.figures, name), f"{FIGURE_LABELS[name]} of {group.name}")


@register.simple_tag
def plan_link(figure, label, **filters):
    """`figure` linking to the plan narrowed by `filters` (the plan's own filter names).

    `label` says what is counted, for screen readers: "overdue actions of Derby City".
    """
    return _link(PLAN, filters, figure, label)
