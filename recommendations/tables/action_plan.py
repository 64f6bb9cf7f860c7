"""The action plan table: one row per action, or per recommendation with no action yet.

Rows are the dictionaries of recommendations.selectors.action_plan; sorting and
pagination are done by the database through django-tables2. Cells use the GOV.UK
tag colours of the service's other pages (recommendations.templatetags.tracker_format).
"""

import django_tables2 as tables
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django_tables2.data import TableQuerysetData
from django_tables2.utils import segment

from ..date_formats import short_date
from ..models import Response
from ..models.choices import NO_ACTION, NO_ACTION_LABEL
from ..templatetags.tracker_format import rag_tag, status_tag

PER_PAGE = 50

_RESPONSE_LABELS = dict(Response.choices)


def _hint(text):
    return format_html('<span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-0">{}</span>', text)


class PlanRowData(TableQuerysetData):
    """Table data over recommendations.selectors.action_plan.PlanRows, which sorts and pages
    like a queryset but keeps its ordering as a tuple rather than in a SQL query."""

    @property
    def ordering(self):
        aliases = {column.order_by_alias: column.order_by for column in self.table.columns}
        return next(segment(self.data.ordering, aliases), None)


class GovUKColumn(tables.Column):
    """A column with GOV.UK table classes; `numeric` right-aligns it."""

    def __init__(self, *args, numeric=False, **kwargs):
        cell_class = "govuk-table__cell" + (" govuk-table__cell--numeric" if numeric else "")
        header_class = "govuk-table__header" + (" govuk-table__header--numeric" if numeric else "")
        kwargs.setdefault("attrs", {"th": {"class": header_class, "scope": "col"}, "td": {"class": cell_class}})
        # Empty cells still go through render_*: a row with no action says so.
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)


class GovUKTable(tables.Table):
    """A table for templates/tables/govuk_table.html."""

    # The page size is the service's: django-tables2 would take `per_page` from the address,
    # where -1 broke the page and 100000 made one page of the whole country.
    page_size = PER_PAGE

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        super().paginate(paginator_class, self.page_size, page, *args, **kwargs)

    def rendered_rows(self):
        """(row, [(td attributes, cell), ...]) for each row of the page.

        A column with a `render_<name>(record)` method has it called directly: django-tables2's
        general path inspects each method's signature again for every cell, which on a
        page of the plan cost more than its queries. Other columns take that general path.
        """
        columns = list(self.columns)
        td_attrs = [column.attrs["td"].as_html() for column in columns]
        renderers = [getattr(self, f"render_{column.name}", None) for column in columns]
        for row in self.paginated_rows:
            cells = [
                (attrs, render(record=row.record) if render else row.get_cell(column.name))
                for column, attrs, render in zip(columns, td_attrs, renderers, strict=True)
            ]
            yield row, cells


class ActionPlanTable(GovUKTable):
    inspection = GovUKColumn(accessor="inspection_title", order_by=("inspection_title", "rec_number", "action_pk"))
    recommendation = GovUKColumn(
        verbose_name="Rec.", accessor="rec_number", order_by=("inspection_title", "rec_number", "action_pk")
    )
    addressee = GovUKColumn(
        verbose_name="Addressed to", accessor="addressee_name", order_by=("addressee_name", "rec_pk")
    )
    response = GovUKColumn(accessor="rec_response", order_by=("rec_response", "rec_pk"))
    action = GovUKColumn(accessor="action_text", order_by=("action_text", "rec_pk"))
    owner = GovUKColumn(accessor="owner_name", order_by=("owner_name", "action_pk"))
    due_date = GovUKColumn(verbose_name="Due date", accessor="due_current", order_by=("due_current", "action_pk"))
    status = GovUKColumn(accessor="plan_status", order_by=("status_rank", "due_current", "action_pk"))
    self_rag = GovUKColumn(verbose_name="Self RAG", accessor="rag_self", order_by=("rag_self_rank", "action_pk"))
    derived_rag = GovUKColumn(
        verbose_name="Derived RAG", accessor="rag_derived", order_by=("rag_derived_rank", "due_current", "action_pk")
    )
    latest_update = GovUKColumn(
        verbose_name="Updated", accessor="latest_update", order_by=("latest_update", "action_pk")
    )
    evidence = GovUKColumn(
        verbose_name="Evidence", accessor="evidence_count", numeric=True, order_by=("evidence_count", "action_pk")
    )

    class Meta:
        template_name = "tables/govuk_table.html"
        attrs = {"class": "govuk-table govuk-!-font-size-16 app-action-plan"}
        row_attrs = {"class": "govuk-table__row"}
        empty_text = "No actions or recommendations match these filters."

    def render_inspection(self, record):
        return record["inspection_title"]

    def render_recommendation(self, record):
        url = reverse("recommendations:recommendation_detail", args=[record["rec_pk"]])
        return format_html(
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
            url,
            record["rec_number"],
            f"(recommendation {record['rec_number']} of {record['inspection_title']})",
        )

    def render_addressee(self, record):
        return record["addressee_name"]

    def render_response(self, record):
        return _RESPONSE_LABELS.get(record["rec_response"], record["rec_response"])

    def render_action(self, record):
        if record["action_pk"] is None:
            return format_html('<strong class="govuk-tag govuk-tag--red">{}</strong>', NO_ACTION_LABEL)
        url = reverse("recommendations:action_detail", args=[record["action_pk"]])
        text = record["action_text"]
        short = text if len(text) <= 110 else text[:107].rsplit(" ", 1)[0] + "…"
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, short)

    def render_owner(self, record):
        return record["owner_name"] or (_hint("No owner") if record["action_pk"] else "")

    def render_due_date(self, record):
        due, original = record["due_current"], record["due_original"]
        if due is None:
            return ""
        if original and original != due:
            return format_html(
                '{}<br><strong class="govuk-tag govuk-tag--grey">Revised</strong> {}',
                short_date(due),
                _hint(f"Originally {short_date(original)}"),
            )
        return short_date(due)

    def render_status(self, record):
        status = record["plan_status"]
        if status == NO_ACTION:
            return _hint(NO_ACTION_LABEL)
        tag = status_tag(status)
        if record["is_overdue"]:
            return format_html('{} <strong class="govuk-tag govuk-tag--red">Overdue</strong>', tag)
        return tag

    def render_self_rag(self, record):
        return rag_tag(record["rag_self"]) if record["action_pk"] else ""

    def render_derived_rag(self, record):
        if record["action_pk"] is None:
            return ""
        tag = rag_tag(record["rag_derived"], empty="Cancelled")
        if record["rag_optimistic"]:
            return format_html("{}<br>{}", tag, _hint("Self rating is greener"))
        return tag

    def render_latest_update(self, record):
        value = record["latest_update"]
        return short_date(timezone.localtime(value).date()) if value else ""

    def render_evidence(self, record):
        return record["evidence_count"] if record["action_pk"] else ""
