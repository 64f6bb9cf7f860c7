"""The action plan page and its CSV download, as each kind of user sees them."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from recommendations.models import ActionStatus
from recommendations.selectors.action_plan import action_plan
from recommendations.tables.action_plan import ActionPlanTable
from tests.factories import ActionFactory
from tests.plan_data import build_organisation, bulk_plan

pytestmark = pytest.mark.django_db

PLAN = reverse("recommendations:action_plan")
CSV = reverse("recommendations:action_plan_csv")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def org():
    org = build_organisation()
    bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=12, recommendations=4)
    bulk_plan(unit=org.derbyshire, owner=org.derbyshire_lead, verifier=org.director, actions=8, recommendations=3)
    bulk_plan(unit=org.cardiff, owner=org.wales_director, verifier=org.wales_director, actions=5, recommendations=2)
    return org


def download(client, **params):
    response = client.get(CSV, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("url", [PLAN, CSV])
def test_anonymous_users_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_pdu_leader_sees_only_their_units_rows(client, org):
    client.force_login(org.derby_lead)
    html = client.get(PLAN).content.decode()
    assert "Showing 1 to 12 of 12 actions" in html
    assert "Recommendations with no action yet</h2>" in html
    assert "Derby City" in html
    assert "Derbyshire" not in html
    assert "Cardiff" not in html


def test_pdu_leaders_csv_never_holds_another_pdus_rows(client, org):
    client.force_login(org.derby_lead)
    rows = download(client)
    assert len(rows) == 12 + 1
    assert {row["Addressed to"] for row in rows} == {"Derby City"}
    # Even when asking for another PDU by name, the download stays within scope.
    assert download(client, unit="derbyshire") == rows
    assert download(client, owner=str(org.derbyshire_lead.pk)) == rows


def test_director_sees_their_region_and_national_viewer_everything(client, org):
    client.force_login(org.director)
    assert {row["Addressed to"] for row in download(client)} == {"Derby City", "Derbyshire"}
    assert "of 20 actions" in client.get(PLAN).content.decode()

    client.force_login(org.viewer)
    assert {row["Addressed to"] for row in download(client)} == {"Derby City", "Derbyshire", "Cardiff and Vale"}
    assert "of 25 actions" in client.get(PLAN).content.decode()


def test_csv_has_the_columns_and_exactly_the_filtered_rows(client, org):
    client.force_login(org.director)
    rows = download(client, status=["blocked", "no_action"], unit="derbyshire")
    assert list(rows[0].keys()) == [
        "Inspection",
        "Recommendation number",
        "Recommendation",
        "Addressed to",
        "Response",
        "Action",
        "Owner",
        "Due date",
        "Original due date",
        "Status",
        "RAG",
        "Derived RAG",
        "Latest update",
        "Evidence count",
    ]
    assert {row["Status"] for row in rows} == {"Blocked", "No action yet"}
    page = client.get(PLAN, {"status": ["blocked", "no_action"], "unit": "derbyshire"}).content.decode()
    blocked = sum(row["Status"] == "Blocked" for row in rows)
    assert f"of {blocked} action" in page
    assert len(rows) > blocked and "Recommendations with no action yet</h2>" in page


def test_csv_follows_the_pages_sort_order(client, org):
    client.force_login(org.director)
    rows = download(client, sort="-due_date", status="in_progress")
    dates = [row["Due date"] for row in rows]
    assert dates == sorted(dates, reverse=True)


def test_csv_neutralises_formulas(client, org):
    ActionFactory(
        recommendation__inspection__unit=org.derby_city,
        owner=org.derby_lead,
        description='=HYPERLINK("http://evil.example","click")',
    )
    client.force_login(org.derby_lead)
    (row,) = [row for row in download(client) if "HYPERLINK" in row["Action"]]
    assert row["Action"] == '\'=HYPERLINK("http://evil.example","click")'


def test_filters_are_kept_in_the_address_and_shown_as_removable_tags(client, org):
    client.force_login(org.director)
    response = client.get(PLAN, {"status": ["in_progress", "blocked"], "unit": "derby-city", "sort": "due_date"})
    html = response.content.decode()
    assert "Selected filters" in html
    assert "Clear filters" in html
    assert 'href="/plan/?status=blocked&amp;unit=derby-city&amp;sort=due_date"' in html  # remove "In progress"
    assert 'href="/plan/?status=in_progress&amp;status=blocked&amp;sort=due_date"' in html  # remove the unit
    assert f"{CSV}?status=in_progress&amp;status=blocked&amp;unit=derby-city&amp;sort=due_date" in html
    assert 'value="in_progress" checked' in html


def test_each_row_links_to_its_recommendation_and_action(client, org):
    client.force_login(org.derby_lead)
    html = client.get(PLAN, {"status": "blocked"}).content.decode()
    action = org.derby_city.actions.filter(status=ActionStatus.BLOCKED).first()
    assert reverse("recommendations:action_detail", args=[action.pk]) in html
    assert reverse("recommendations:recommendation_detail", args=[action.recommendation_id]) in html


def test_recommendations_without_an_action_are_listed_apart(client, org):
    client.force_login(org.derby_lead)
    html = client.get(PLAN, {"status": "no_action"}).content.decode()
    assert "No actions match these filters." in html
    assert "Recommendations with no action yet</h2>" in html
    # A filter that only an action can match leaves them out.
    assert "Recommendations with no action yet</h2>" not in client.get(PLAN, {"overdue": "no"}).content.decode()


def test_revised_due_dates_and_optimistic_ratings_are_flagged(client, org):
    ActionFactory(
        recommendation__inspection__unit=org.derby_city,
        owner=org.derby_lead,
        description="Audit supervision records",
        original_due_date=dt.date(2026, 10, 1),
        due_date=dt.date(2026, 10, 20),
        start_date=None,
        self_rag="green",
    )
    client.force_login(org.derby_lead)
    html = client.get(PLAN, {"owner": str(org.derby_lead.pk), "due_from": "20/10/2026", "due_to": "20/10/2026"})
    html = html.content.decode()
    assert "Revised" in html and "Originally 1 Oct 2026" in html
    assert "Self rating is greener" in html


def test_bad_filter_input_is_explained_and_kept(client, org):
    client.force_login(org.director)
    html = client.get(PLAN, {"due_from": "31/13/2026"}).content.decode()
    assert "There is a problem" in html
    assert "Enter a real date, for example 27/3/2026" in html
    assert 'value="31/13/2026"' in html
    assert "of 20 actions" in html  # the bad filter narrows nothing


def test_the_page_size_is_the_services_whatever_the_address_asks(client, org):
    bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=60, recommendations=2)
    client.force_login(org.derby_lead)
    for hostile in ({"per_page": "100000"}, {"per_page": "-1"}, {"unanswered-page": "99999999999999999999"}):
        response = client.get(PLAN, hostile)
        assert response.status_code == 200
        assert "Showing 1 to 50 of 72 actions" in response.content.decode()
    # A page past the end shows the last page.
    response = client.get(PLAN, {"page": "99999999999999999999"})
    assert "Showing 51 to 72 of 72 actions" in response.content.decode()


def test_sorting_and_pagination(client, org):
    bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=60, recommendations=2)
    client.force_login(org.derby_lead)
    first = client.get(PLAN, {"sort": "derived_rag"}).content.decode()
    assert "Showing 1 to 50 of 72 actions" in first
    assert 'aria-sort="ascending"' in first
    assert 'class="govuk-pagination"' in first
    second = client.get(PLAN, {"sort": "derived_rag", "page": 2}).content.decode()
    assert "Showing 51 to 72 of 72 actions" in second
    assert 'aria-current="page"' in second


def test_the_chosen_filters_stay_chosen_in_the_form(client, org):
    client.force_login(org.director)
    html = client.get(PLAN, {"unit": "derby-city", "owner": org.derby_lead.pk, "overdue": "yes"}).content.decode()
    assert '<option value="derby-city" selected>Derby City</option>' in html
    assert '<option value="derbyshire">Derbyshire</option>' in html
    assert f'<option value="{org.derby_lead.pk}" selected>Dana Derby</option>' in html
    assert '<option value="yes" selected>Yes</option>' in html
    # Each select has exactly one choice selected: "Any" where nothing was chosen.
    assert html.count('<option value="" selected>Any</option>') == 4  # inspection, addressed to, region, theme
    assert html.count('<option value="" selected>Both</option>') == 1  # today's units or dissolved bodies


def test_option_labels_are_escaped(client, org):
    org.derby_lead.first_name = "<b>Dana</b>"
    org.derby_lead.save()
    client.force_login(org.director)
    html = client.get(PLAN).content.decode()
    assert "&lt;b&gt;Dana&lt;/b&gt; Derby</option>" in html
    assert "<b>Dana</b>" not in html


@pytest.mark.parametrize("sort", [None, "derived_rag", "-evidence", "owner", "due_date", "-due_date"])
def test_the_pages_together_list_every_action_once_in_the_sorted_order(client, org, sort):
    """Pages are cut from the sort keys before the rows are read, the second page (in the back
    half of the list) from its end in the reverse order: nothing is lost or repeated."""
    bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=60, recommendations=2)
    client.force_login(org.derby_lead)
    shown = []
    for page in (1, 2):
        html = client.get(PLAN, {"page": page} | ({"sort": sort} if sort else {})).content.decode()
        table = html.split('class="govuk-table govuk-!-font-size-16 app-action-plan"')[1].split("</table>")[0]
        shown += [int(pk) for pk in re.findall(r'href="/actions/(\d+)/"', table)]
    plan = action_plan(user=org.derby_lead, today=timezone.localdate())
    expected = list(ActionPlanTable(plan.actions, order_by=sort).data.data.values_list("pk", flat=True))
    assert len(expected) == 72
    assert shown == expected
