"""One GOV.UK pagination for every paged list and table (templates/includes/pagination.html)."""

import re

import django_tables2 as tables
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from recommendations.tables.action_plan import GovUKTable


def _page_links(html: str) -> list[str]:
    return re.findall(r'aria-label="Page (\d+)"', html)


def test_a_list_shows_the_pages_around_the_one_being_read_and_keeps_its_query():
    request = RequestFactory().get("/inspections/", {"page": "15", "q": "derby"})
    page = Paginator(range(400), 10).get_page(15)
    html = render_to_string("includes/pagination.html", {"page": page}, request=request)
    assert {"1", "14", "15", "16", "40"} <= set(_page_links(html))
    assert 'aria-current="page">15<' in html
    assert 'href="?page=14&amp;q=derby" rel="prev"' in html
    assert 'href="?page=16&amp;q=derby" rel="next"' in html


def test_a_list_of_one_page_has_no_pagination():
    page = Paginator(range(5), 10).get_page(1)
    assert "govuk-pagination" not in render_to_string("includes/pagination.html", {"page": page})


class _NumbersTable(GovUKTable):
    number = tables.Column()

    class Meta(GovUKTable.Meta):
        pass


def test_a_table_pages_through_the_same_pagination_with_its_own_page_parameter():
    request = RequestFactory().get("/plan/", {"unanswered-page": "15", "q": "derby"})
    table = _NumbersTable([{"number": n} for n in range(2000)], prefix="unanswered-")
    tables.RequestConfig(request).configure(table)
    html = table.as_html(request)
    nav = html[html.index('<nav class="govuk-pagination"') :]
    page = Paginator(range(2000), GovUKTable.rows_per_page).get_page(15)
    shared = render_to_string(
        "includes/pagination.html", {"page": page, "page_field": "unanswered-page"}, request=request
    )
    assert nav.split() == shared[shared.index("<nav") :].split()
    assert 'href="?unanswered-page=16&amp;q=derby" rel="next"' in nav
