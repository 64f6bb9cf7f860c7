"""The action plan's columns: the defaults, and each person's own choice, remembered."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from recommendations.models import PlanColumnChoice
from recommendations.plan_columns import DEFAULT_COLUMNS, choose_plan_columns, shown_plan_columns
from tests.web_world import build_world

pytestmark = pytest.mark.django_db
PLAN = reverse("recommendations:action_plan")
CHOOSE = reverse("recommendations:action_plan_columns")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world():
    return build_world()


def _headers(html):
    """The optional columns' headings shown on screen (the others are there for printing only)."""
    head = html[html.index('<thead class="govuk-table__head">') : html.index("</thead>")]
    on_screen = "".join(th for th in re.findall(r"<th .*?</th>", head, re.S) if "data-print-only" not in th)
    labels = ("Inspection", "Addressed to", "Response", "Self RAG", "Derived RAG", "Updated")
    return [label for label in labels if label in on_screen]


def test_by_default_the_plan_shows_both_rag_ratings_and_the_update_date(client, world):
    client.force_login(world.leader)
    html = client.get(PLAN).content.decode()
    assert _headers(html) == ["Self RAG", "Derived RAG", "Updated"]
    assert 'id="column-derived_rag" name="columns" type="checkbox" value="derived_rag" checked' in html
    assert 'id="column-inspection" name="columns" type="checkbox" value="inspection">' in html


def test_a_chosen_set_of_columns_is_remembered_and_keeps_the_plans_filters(client, world):
    client.force_login(world.leader)
    response = client.post(
        CHOOSE, {"columns": ["inspection", "derived_rag"], "plan_query": "status=in_progress&sort=-due_date"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{PLAN}?status=in_progress&sort=-due_date"
    assert shown_plan_columns(world.leader) == ("inspection", "derived_rag")

    client.logout()
    client.force_login(world.leader)  # a later sign-in
    html = client.get(PLAN).content.decode()
    assert _headers(html) == ["Inspection", "Derived RAG"]
    # Someone else still sees the defaults.
    assert shown_plan_columns(world.director) == DEFAULT_COLUMNS


def test_an_unknown_column_is_refused_and_nothing_changes(client, world):
    client.force_login(world.leader)
    response = client.post(CHOOSE, {"columns": ["password"], "plan_query": ""}, follow=True)
    assert "Choose columns from the list" in response.content.decode()
    assert not PlanColumnChoice.objects.filter(user=world.leader).exists()


def test_choosing_no_optional_column_leaves_the_recommendation_and_the_action(client, world):
    choose_plan_columns(user=world.leader, columns=[])
    client.force_login(world.leader)
    html = client.get(PLAN).content.decode()
    assert _headers(html) == []
    assert "Rec." in html and world.action.description[:30] in html
