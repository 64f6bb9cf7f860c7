"""The action plan's tables: its actions, and the recommendations that have no action yet.

Both are django-tables2 tables over querysets (recommendations.selectors.action_plan), sorted
and paginated by the database through django-tables2. Cells use the GOV.UK tag colours of
the service's other pages (recommendations.templatetags.tracker_format).
"""

import django_tables2 as tables
from django.core.paginator import EmptyPage
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django_tables2.data import TableQuerysetData

from ..date_formats import short_date
from ..models.rag import is_self_rating_optimistic
from ..selectors.action_plan import JointLabels
from ..templatetags.tracker_format import rag_tag, status_tag

PER_PAGE = 50
UNANSWERED_PER_PAGE = 20
# Beyond any real list: a larger page number is answered with the first page, not an error.
MAX_PAGE_NUMBER = 100_000


def _hint(text):
    return format_html('<span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-0">{}</span>', text)


class GovUKColumn(tables.Column):
    """A column with GOV.UK table classes; `numeric` right-aligns it."""

    # Set on the columns a user hides (shown only when printed); their headers and cells are marked.
    screen_only_hidden = False

    def __init__(self, *args, numeric=False, **kwargs):
        self.numeric = numeric  # the table's template gives the cells the numeric class
        header_class = "govuk-table__header" + (" govuk-table__header--numeric" if numeric else "")
        kwargs.setdefault("attrs", {"th": {"class": header_class, "scope": "col"}})
        super().__init__(*args, **kwargs)


class GovUKTable(tables.Table):
    """A table for templates/tables/govuk_table.html, `rows_per_page` rows a page."""

    rows_per_page = PER_PAGE

    def paginate(self, *args, per_page=None, **kwargs):
        # The page size is the service's own, whatever the address asks for (?per_page=…).
        return super().paginate(*args, per_page=self.rows_per_page, **kwargs)

    class Meta:
        template_name = "tables/govuk_table.html"
        row_attrs = {"class": "govuk-table__row"}

    def rows_html(self):
        """The page's rows as HTML, for the table's template: each column's cell class worked
        out once, not once a cell (600 cells on a page of the plan were half its drawing)."""
        openings = [_cell_opening(column) for column in self.columns]
        for row in self.paginated_rows:
            cells = zip(openings, row, strict=True)
            html = "".join(f"<td{opening}>{conditional_escape(localize(cell))}</td>" for opening, cell in cells)
            yield format_html("<tr {}>{}</tr>", row.attrs.as_html(), mark_safe(html))  # noqa: S308 - cells escaped above


def _cell_opening(column) -> str:
    """A <td>'s attributes: GOV.UK's cell class (numeric when the column is) and the print-only marker."""
    numeric = " govuk-table__cell--numeric" if getattr(column.column, "numeric", False) else ""
    print_only = " data-print-only" if getattr(column.column, "screen_only_hidden", False) else ""
    return f' class="govuk-table__cell{numeric}"{print_only}'


# What the plan's cells read of an action and of its recommendation, inspection, addressee and
# owner: a page's rows load these alone, not every column of five tables (the inspection's
# summary and the recommendation's text among them).
SHOWN_FIELDS = (
    "recommendation__number",
    "recommendation__response",
    "recommendation__inspection__title",
    "recommendation__addressed_to__name",
    "recommendation__addressed_to__short_name",
    "description",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    "unit_id",
    "original_due_date",
    "due_date",
    "status",
    "self_rag",
    "last_update_at",
)


class PagedByKeys(TableQuerysetData):
    """A plan's rows, paged by their sort keys before the rows are read in full.

    A page of the plan is 50 rows, but sorting reads the rows it sorts: ordering 50,000
    actions with their recommendation, inspection, owner and evidence count to keep the
    last 50 took over a second nationally. Here the database sorts the keys alone, and
    only the page's rows are joined and counted, in the same single query
    (`pk IN (SELECT pk … ORDER BY … LIMIT … OFFSET …)`).

    A page in the second half of the list is counted from its end, in the reverse order: the
    last page is then as cheap as the first (the database reads a page's worth of keys in
    order by index, where an OFFSET near the end made it sort every key). Every ordering of
    the plan ends with the pk, so the reverse order is exactly the order read backwards.
    """

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return super().__getitem__(key)
        total = len(self)
        start, stop, _ = key.indices(total)
        keys = self.data.values("pk")
        if start > total - stop:
            return self.data.filter(pk__in=keys.reverse()[total - stop : total - start])
        return self.data.filter(pk__in=keys[start:stop])


def _recommendation_link(recommendation):
    return format_html(
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
        reverse("recommendations:recommendation_detail", args=[recommendation.pk]),
        recommendation.number,
        f"(recommendation {recommendation.number} of {recommendation.inspection.title})",
    )


class ActionPlanTable(GovUKTable):
    """One row per action. Sorting by a column sorts by the values in its `order_by`."""

    def __init__(self, data, *args, joint_labels=None, **kwargs):
        # recommendations.selectors.action_plan.joint_addressee_labels: read once for the page.
        self.joint_labels = joint_labels or JointLabels()
        super().__init__(PagedByKeys(data.only(*SHOWN_FIELDS)), *args, **kwargs)

    inspection = GovUKColumn(
        verbose_name="Inspection",
        accessor="recommendation__inspection__title",
        order_by=("recommendation__inspection__title", "recommendation__number", "pk"),
    )
    recommendation = GovUKColumn(
        verbose_name="Rec.",
        accessor="recommendation__number",
        order_by=("recommendation__inspection__title", "recommendation__number", "pk"),
    )
    # Every addressee of a joint recommendation (joint_labels); sorted by the one named first.
    addressee = GovUKColumn(
        verbose_name="Addressed to",
        accessor="recommendation__addressed_to__display_name",
        order_by=("recommendation__addressed_to__name", "recommendation_id", "pk"),
    )
    response = GovUKColumn(
        accessor="recommendation__get_response_display",
        order_by=("recommendation__response", "recommendation_id", "pk"),
    )
    action = GovUKColumn(accessor="description", order_by=("description", "pk"))
    owner = GovUKColumn(
        accessor="owner", order_by=("owner__first_name", "owner__last_name", "pk"), default=_hint("No owner")
    )
    due_date = GovUKColumn(verbose_name="Due date", order_by=("due_date", "pk"))
    status = GovUKColumn(order_by=("status_rank", "due_date", "pk"))
    self_rag = GovUKColumn(verbose_name="Self RAG", order_by=("self_rag_rank", "pk"), empty_values=())
    derived_rag = GovUKColumn(
        verbose_name="Derived RAG",
        accessor="rag_derived",
        order_by=("derived_rag_rank", "due_date", "pk"),
        empty_values=(),
    )
    latest_update = GovUKColumn(verbose_name="Updated", accessor="last_update_at", order_by=("last_update_at", "pk"))
    evidence = GovUKColumn(
        verbose_name="Evidence", accessor="evidence_count", numeric=True, order_by=("evidence_count", "pk")
    )

    class Meta(GovUKTable.Meta):
        attrs = {"class": "govuk-table govuk-!-font-size-16 app-action-plan"}
        empty_text = "No actions match these filters."

    def render_addressee(self, record, value):
        return self.joint_labels.label(record.recommendation_id, record.addressee_count, value)

    def render_recommendation(self, record):
        return _recommendation_link(record.recommendation)

    def render_action(self, record, value):
        short = value if len(value) <= 110 else value[:107].rsplit(" ", 1)[0] + "…"
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', reverse("recommendations:action_detail", args=[record.pk]), short
        )

    def render_owner(self, value):
        return value.get_full_name() or value.username

    def render_due_date(self, record, value):
        if record.was_revised:
            return format_html(
                '{}<br><strong class="govuk-tag govuk-tag--grey">Revised</strong> {}',
                short_date(value),
                _hint(f"Originally {short_date(record.original_due_date)}"),
            )
        return short_date(value)

    # Choice fields' values come as their labels: the tags are drawn from the stored codes.
    def render_status(self, record):
        tag = status_tag(record.status)
        if record.is_overdue:
            return format_html('{} <strong class="govuk-tag govuk-tag--red">Overdue</strong>', tag)
        return tag

    def render_self_rag(self, record):
        return rag_tag(record.self_rag)

    def render_derived_rag(self, record, value):
        tag = rag_tag(value, empty="Cancelled")
        if is_self_rating_optimistic(self_rag=record.self_rag, derived=value):
            return format_html("{}<br>{}", tag, _hint("Self rating is greener"))
        return tag

    def render_latest_update(self, value):
        return short_date(timezone.localtime(value).date())


class UnansweredPaginator(tables.LazyPaginator):
    """Pages without counting: the section is shown only when its page has rows."""

    def validate_number(self, number):
        number = super().validate_number(number)
        if number > MAX_PAGE_NUMBER:
            raise EmptyPage("That page contains no results")
        return number


class UnansweredRecommendationTable(GovUKTable):
    """Recommendations with no action yet: the first thing to deal with."""

    rows_per_page = UNANSWERED_PER_PAGE

    inspection = GovUKColumn(accessor="inspection__title", orderable=False)
    recommendation = GovUKColumn(verbose_name="Rec.", accessor="number", orderable=False)
    addressee = GovUKColumn(verbose_name="Addressed to", accessor="addressed_to__display_name", orderable=False)
    response = GovUKColumn(accessor="get_response_display", orderable=False)

    class Meta(GovUKTable.Meta):
        attrs = {"class": "govuk-table govuk-!-font-size-16"}
        empty_text = "Every recommendation here has an action."

    def __init__(self, *args, joint_labels=None, **kwargs):
        self.joint_labels = joint_labels or JointLabels()
        super().__init__(*args, **kwargs)

    def render_addressee(self, record, value):
        return self.joint_labels.label(record.pk, record.addressee_count, value)

    def render_recommendation(self, record):
        return _recommendation_link(record)


class RecommendationTable(UnansweredRecommendationTable):
    """Recommendations, each with whether it is done: the recommendations list."""

    rows_per_page = PER_PAGE

    done = GovUKColumn(verbose_name="Done", orderable=False)

    class Meta(GovUKTable.Meta):
        attrs = {"class": "govuk-table govuk-!-font-size-16"}
        empty_text = "No recommendations match these filters."

    def render_done(self, value):
        if value:
            return format_html('<strong class="govuk-tag govuk-tag--green">{}</strong>', "Done")
        return _hint("Not yet")
