"""Dashboard figures as links to the action plan, filtered to exactly the rows they count."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def plan_link(figure, label, **filters):
    """`figure` linking to the plan narrowed by `filters` (the plan's own filter names).

    `label` says what is counted, for screen readers: "overdue actions of Derby City".
    """
    query = urlencode({name: value for name, value in filters.items() if value not in (None, "")})
    return format_html(
        '<a class="govuk-link" href="{}?{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
        reverse("recommendations:action_plan"),
        query,
        figure,
        label,
    )
