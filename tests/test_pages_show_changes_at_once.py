"""Pages and downloads show every change at once and are never shared between scopes or filters.

Nothing is kept between requests: each download and page reads the plan afresh.
"""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import services
from recommendations.models import Action, ActionStatus
from tests.plan_data import build_organisation, bulk_plan
from tests.versions import seen_version

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
    bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=6, recommendations=3)
    bulk_plan(unit=org.derbyshire, owner=org.derbyshire_lead, verifier=org.director, actions=4, recommendations=2)
    return org


def download(client, **params):
    """The CSV's rows, and whether the plan was read from the database to make it."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CSV, params)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response.status_code == 200
    read_the_plan = any('FROM "recommendations_action"' in query["sql"] for query in captured.captured_queries)
    return list(csv.DictReader(io.StringIO(text))), read_the_plan


def an_open_action(unit):
    return Action.objects.filter(unit=unit, status=ActionStatus.IN_PROGRESS).order_by("pk").first()


def test_every_download_reads_the_plan_afresh(client, org):
    client.force_login(org.director)
    first, first_read_the_plan = download(client)
    second, second_read_the_plan = download(client)
    assert second == first
    # Every action, and the last recommendation of each of the two inspections, which has none.
    assert len(first) == Action.objects.count() + 2
    assert first_read_the_plan and second_read_the_plan


def test_a_download_shows_a_change_made_since_the_last_one(client, org):
    client.force_login(org.derby_lead)
    action = an_open_action(org.derby_city)
    before, _ = download(client)
    assert "Blocked" not in {row["Status"] for row in before if row["Action"] == action.description}

    services.log_progress(
        action=action,
        author=org.derby_lead,
        narrative="Waiting for the estates team.",
        status="blocked",
        expected_version=seen_version(action),
    )

    after, _ = download(client)
    assert {row["Status"] for row in after if row["Action"] == action.description} == {"Blocked"}


def rewrite(action, *, by, description):
    """Change an action's description through the service, as the edit page does."""
    services.update_action_details(
        action=action,
        by=by,
        expected_version=action.version,
        description=description,
        owner=action.owner,
        success_measure=action.success_measure,
        start_date=action.start_date,
    )


def test_the_plan_page_shows_a_change_made_since_it_was_last_seen(client, org):
    client.force_login(org.director)
    action = an_open_action(org.derbyshire)
    assert "Rewritten by the head of PDU" not in client.get(PLAN).content.decode()

    rewrite(action, by=org.derbyshire_lead, description="Rewritten by the head of PDU")

    assert "Rewritten by the head of PDU" in client.get(PLAN).content.decode()


def test_people_with_different_scopes_never_get_each_others_download(client, org):
    client.force_login(org.director)
    region, _ = download(client)
    client.force_login(org.derby_lead)
    own, _ = download(client)
    assert len(own) < len(region)
    assert {row["Action"] for row in own} <= {row["Action"] for row in region}
    derbyshire = set(Action.objects.filter(unit=org.derbyshire).values_list("description", flat=True))
    assert not derbyshire & {row["Action"] for row in own}


def test_each_filter_gets_its_own_download(client, org):
    client.force_login(org.director)
    everything, _ = download(client)
    derby_only, _ = download(client, unit="derby-city")
    assert len(derby_only) < len(everything)


def test_an_actions_page_shows_progress_logged_since_it_was_last_seen(client, org):
    client.force_login(org.derby_lead)
    action = an_open_action(org.derby_city)
    url = reverse("recommendations:action_detail", args=[action.pk])
    assert "Chased the estates team again." not in client.get(url).content.decode()

    services.log_progress(
        action=action,
        author=org.derby_lead,
        narrative="Chased the estates team again.",
        status="blocked",
        expected_version=seen_version(action),
    )

    assert "Chased the estates team again." in client.get(url).content.decode()


def test_a_recommendations_page_lists_an_action_added_since_it_was_last_seen(client, org):
    client.force_login(org.director)
    action = an_open_action(org.derby_city)
    url = reverse("recommendations:recommendation_detail", args=[action.recommendation_id])
    assert "Audit a sample of supervision records" not in client.get(url).content.decode()

    services.create_action(
        recommendation=action.recommendation,
        description="Audit a sample of supervision records",
        owner=org.derby_lead,
        unit=org.derby_city,
        due_date=dt.date(2027, 3, 31),
        created_by=org.director,
        success_measure="",
        start_date=None,
    )

    assert "Audit a sample of supervision records" in client.get(url).content.decode()


def test_home_and_the_inspection_page_show_a_change_made_since_they_were_last_seen(client, org):
    client.force_login(org.derby_lead)
    action = an_open_action(org.derby_city)
    home = reverse("recommendations:home")
    inspection = reverse("recommendations:inspection_detail", args=[action.recommendation.inspection_id])
    assert "Train every practitioner in risk assessment" not in client.get(home).content.decode()
    assert "Partly agreed" not in client.get(inspection).content.decode()

    rewrite(action, by=org.derby_lead, description="Train every practitioner in risk assessment")
    services.set_response(
        recommendation=action.recommendation, response="partly_agreed", rationale="Resources", by=org.director
    )

    assert "Train every practitioner in risk assessment" in client.get(home).content.decode()
    assert "Partly agreed" in client.get(inspection).content.decode()
