"""Dashboard figures as links to the rows they count: the action plan or the recommendations list, filtered."""

from functools import lru_cache
from urllib.parse import quote, urlencode

from django import template
from django.template.defaultfilters import date
from django.urls import get_script_prefix, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from ..selectors.dashboards import FIGURE_ROWS, PLAN, figure_filters, view_filters

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


def _query(filters: dict) -> str:
    return urlencode({name: value for name, value in filters.items() if value not in (None, "")}, doseq=True)


@lru_cache(maxsize=1024)
def _group_query(view: str, group_filters: tuple) -> str:
    """A group's filters as a query of `view`: worked out once for each group, not for each of its figures."""
    return _query(view_filters(view, dict(group_filters)))


def _href(group_filters: dict, name: str) -> str:
    """The address of figure `name`'s rows (figure_filters): its group's filters, then the figure's own."""
    view, rows = FIGURE_ROWS[name]
    try:
        group = _group_query(view, tuple(group_filters.items()))
    except TypeError:  # a value that cannot be a key (a list): no short cut
        return f"{_address(view, get_script_prefix())}?{_query(figure_filters(group_filters, name)[1])}"
    query = "&".join(part for part in (group, _figure_query(name)) if part)
    return f"{_address(view, get_script_prefix())}?{query}"


@lru_cache(maxsize=32)
def _figure_query(name: str) -> str:
    return _query(FIGURE_ROWS[name][1])


def _anchor(href, text, label=""):
    if not label:
        return format_html('<a class="govuk-link" href="{}">{}</a>', href, text)
    return format_html(
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>', href, text, label
    )


def _link(view, filters, text, label=""):
    return _anchor(f"{_address(view, get_script_prefix())}?{_query(filters)}", text, label)


@register.simple_tag
def figure(group, name, text=None):
    """The figure `name` of `group` (a dashboard row with `figures`, `filters` and `name`), linking to
    exactly the rows it counts (selectors.dashboards.figure_filters).

    The number is the link's text, with what it counts for screen readers; or `text`, a phrase that says it all.
    """
    if text is not None:
        return _anchor(_href(group.filters, name), text)
    return _anchor(_href(group.filters, name), getattr(group.figures, name), f"{FIGURE_LABELS[name]} of {group.name}")


# The cells of a row of each of a dashboard's two tables, in order.
ROW_FIGURES = {
    "status": (
        "actions",
        "not_started",
        "in_progress",
        "blocked",
        "awaiting_verification",
        "verified",
        "cancelled",
        "overdue",
    ),
    "readiness": ("red", "amber", "green", "recommendations", "without_action", "ready"),
}


@register.simple_tag
def figure_cells(group, table, cell):
    """A row's figures of `table` ("status" or "readiness") as table cells of class `cell`, each a link
    as `figure` makes it; the readiness row ends with the percentage ready.

    One tag for a row, written out here rather than through format_html: a dashboard has hundreds
    of figures, and the row's filters and name are escaped once rather than for each figure.
    """
    filters, figures = group.filters, group.figures
    of_name = escape(f" of {group.name}")
    td = f'<td class="{escape(cell)} govuk-table__cell--numeric">'
    cells = [
        f'{td}<a class="govuk-link" href="{escape(_href(filters, name))}">{escape(getattr(figures, name))}'
        f'<span class="govuk-visually-hidden"> {FIGURE_LABELS[name]}{of_name}</span></a></td>'
        for name in ROW_FIGURES[table]
    ]
    if table == "readiness":
        readiness = figures.readiness
        cells.append(f"{td}{'–' if readiness is None else f'{readiness}%'}</td>")
    return mark_safe("\n" + "".join(f"{c}\n" for c in cells))  # noqa: S308 - every part is escaped above


@register.simple_tag
def group_label(group, kind):
    """A row's name, linking to its rows: a unit's or an inspection's plan, or a region's dashboard.

    `kind` is "unit", "inspection" or "region" (a region row with no region: the units outside any).
    """
    if kind == "unit":
        href = f"{_address(PLAN, get_script_prefix())}?unit={quote(group.unit.slug, safe='/')}"
        return format_html('<a class="govuk-link" href="{}">{}</a>', href, group.unit.display_name)
    if kind == "inspection":
        href = f"{_address(PLAN, get_script_prefix())}?inspection={group.inspection_pk}"
        label = format_html('<a class="govuk-link" href="{}">{}</a>', href, group.title)
        if group.next_inspection_expected:
            label += format_html(
                '<br><span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-0">Next inspection expected {}</span>',
                date(group.next_inspection_expected, "j M Y"),
            )
        return label
    if group.region:
        href = reverse("recommendations:regional_dashboard", args=[group.region.slug])
        return format_html('<a class="govuk-link" href="{}">{}</a>', href, group.region.display_name)
    return "HMPPS and units outside a region"


@register.simple_tag
def plan_link(figure, label, **filters):
    """`figure` linking to the plan narrowed by `filters` (the plan's own filter names).

    `label` says what is counted, for screen readers: "overdue actions of Derby City".
    """
    return _link(PLAN, filters, figure, label)
