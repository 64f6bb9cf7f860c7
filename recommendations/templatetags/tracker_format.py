"""Display helpers for the service's pages: GOV.UK tags for statuses, RAG and ratings."""

from functools import cache

from django import template
from django.utils import timezone
from django.utils.html import format_html

from ..date_formats import short_date
from ..evidence_files import EVIDENCE_TYPES
from ..models import RAG, ActionStatus, Rating

register = template.Library()

STATUS_TAG_COLOURS = {
    ActionStatus.NOT_STARTED: "govuk-tag--grey",
    ActionStatus.IN_PROGRESS: "govuk-tag--blue",
    ActionStatus.BLOCKED: "govuk-tag--orange",
    ActionStatus.COMPLETED: "govuk-tag--yellow",
    ActionStatus.VERIFIED: "govuk-tag--green",
    ActionStatus.CANCELLED: "govuk-tag--grey",
}
RAG_TAG_COLOURS = {RAG.RED: "govuk-tag--red", RAG.AMBER: "govuk-tag--orange", RAG.GREEN: "govuk-tag--green"}
RATING_TAG_COLOURS = {
    Rating.OUTSTANDING: "govuk-tag--green",
    Rating.GOOD: "govuk-tag--turquoise",
    Rating.REQUIRES_IMPROVEMENT: "govuk-tag--orange",
    Rating.INADEQUATE: "govuk-tag--red",
}


@register.filter
def minutes(value):
    """A timedelta as a whole number of minutes (at least 1)."""
    return max(1, round(value.total_seconds() / 60))


# The tags below depend on their arguments alone, and a table repeats the same few values in
# every row: each is drawn once and kept (a handful of statuses and ratings in all).
@register.simple_tag
@cache
def status_tag(status):
    if not status:
        return ""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', STATUS_TAG_COLOURS.get(status, ""), ActionStatus(status).label
    )


@register.simple_tag
@cache
def rag_tag(rag, empty="Not rated"):
    if not rag:
        return format_html('<span class="govuk-hint govuk-!-margin-0">{}</span>', empty)
    return format_html('<strong class="govuk-tag {}">{}</strong>', RAG_TAG_COLOURS[rag], RAG(rag).label)


@register.simple_tag
def rating_tag(rating):
    if not rating:
        return format_html('<span class="govuk-hint govuk-!-margin-0">{}</span>', "Not rated")
    return format_html('<strong class="govuk-tag {}">{}</strong>', RATING_TAG_COLOURS[rating], Rating(rating).label)


@register.filter
def days_phrase(days):
    """'1 day', '12 days'."""
    days = abs(int(days))
    return f"{days} day" if days == 1 else f"{days} days"


@register.filter
def evidence_type_label(content_type):
    """'PDF', 'Word document'… for an evidence file's checked content type."""
    for kind in EVIDENCE_TYPES:
        if kind.content_type == content_type:
            return kind.label
    return "File"


register.filter("short_date", short_date)


@register.filter
def when(value):
    """A date and time the GOV.UK way: '1 June 2026 at 9:05am'."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y} at {local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
