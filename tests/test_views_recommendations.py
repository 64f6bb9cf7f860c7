"""The recommendation page, its response and new actions."""

import datetime as dt
import itertools

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Action, ActionStatus, Response
from tests.factories import ActionFactory
from tests.web_world import build_world, file_evidence, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world():
    return build_world()


def _detail(client, world, user=None):
    client.force_login(user or world.leader)
    url = reverse("recommendations:recommendation_detail", args=[world.recommendation.pk])
    return client.get(url).content.decode()


def test_shows_text_exactly_as_published_escaped(client, world):
    world.recommendation.text = "improve <b>risk</b> assessment\nand planning"
    world.recommendation.save()
    html = _detail(client, world)
    assert "improve &lt;b&gt;risk&lt;/b&gt; assessment\nand planning" in html
    assert "<title>Recommendation 1: An inspection of probation services in Derby City PDU (2025)" in html


@pytest.mark.parametrize(
    ("statuses", "label"),
    [
        ([], "No actions yet"),
        ([ActionStatus.NOT_STARTED], "Not started"),
        ([ActionStatus.COMPLETED, ActionStatus.IN_PROGRESS], "In progress"),
        ([ActionStatus.COMPLETED, ActionStatus.VERIFIED, ActionStatus.CANCELLED], "All actions complete"),
        ([ActionStatus.VERIFIED, ActionStatus.CANCELLED], "All actions verified"),
    ],
)
def test_overall_status_is_derived_from_actions(client, world, statuses, label):
    Action.objects.filter(recommendation=world.recommendation).update(status=ActionStatus.CANCELLED)
    for status in statuses:
        stamps = {}
        if status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
            stamps = {"completed_at": timezone.now(), "completed_by": world.leader}
        if status == ActionStatus.VERIFIED:
            stamps |= {"verified_at": timezone.now(), "verified_by": world.director}
        ActionFactory(recommendation=world.recommendation, owner=world.leader, status=status, **stamps)
    html = _detail(client, world)
    assert label in html.split("Progress</dt>")[1].split("</dd>")[0]


def test_director_records_response(client, world):
    client.force_login(world.director)
    url = reverse("recommendations:recommendation_response", args=[world.recommendation.pk])
    response = client.post(url, {"response": "partly_agreed", "rationale": ""})
    assert "Explain why the recommendation is not fully agreed" in response.content.decode()
    assert 'value="partly_agreed" checked' in response.content.decode()
    response = client.post(url, {"response": "partly_agreed", "rationale": "Staffing is a national matter."})
    assert response.status_code == 302
    world.recommendation.refresh_from_db()
    assert world.recommendation.response == Response.PARTLY_AGREED
    assert world.recommendation.response_recorded_by == world.director
    html = client.get(response["Location"]).content.decode()
    assert "Response saved." in html
    assert "Staffing is a national matter." in html
    assert "15 June 2026 at 10:00am by Dana Director" in html


def test_response_needs_a_choice(client, world):
    client.force_login(world.director)
    url = reverse("recommendations:recommendation_response", args=[world.recommendation.pk])
    html = client.post(url, {}).content.decode()
    assert "Choose agreed, partly agreed or not agreed" in html
    assert 'href="#id_response_0"' in html


def _new_action(**overrides):
    data = {
        "description": "Audit 30 cases a quarter for risk of harm",
        "unit": "",
        "owner": "",
        "success_measure": "70% of audited cases meet the standard",
        "start_date_day": "1",
        "start_date_month": "7",
        "start_date_year": "2026",
        "due_date_day": "31",
        "due_date_month": "3",
        "due_date_year": "2027",
    }
    return data | overrides


def test_director_creates_an_action(client, world):
    client.force_login(world.director)
    url = reverse("recommendations:action_create", args=[world.recommendation.pk])
    response = client.post(url, _new_action(unit=world.pdu.pk, owner=world.leader.pk))
    assert response.status_code == 302
    action = Action.objects.latest("id")
    assert response["Location"] == reverse("recommendations:action_detail", args=[action.pk])
    assert action.owner == world.leader
    assert action.unit == world.pdu
    assert action.original_due_date == action.due_date == dt.date(2027, 3, 31)
    assert action.start_date == dt.date(2026, 7, 1)
    assert action.created_by == world.director


def test_owner_choices_are_people_in_the_units_in_scope(client, world):
    client.force_login(world.director)
    html = client.get(reverse("recommendations:action_create", args=[world.recommendation.pk])).content.decode()
    assert "Della Derby (Derby City)" in html
    assert "Shire Lead (Derbyshire)" in html
    assert "Carys Cardiff" not in html  # another region
    assert "Vic Viewer" not in html  # national
    response = client.post(
        reverse("recommendations:action_create", args=[world.recommendation.pk]),
        _new_action(unit=world.pdu.pk, owner=world.far_leader.pk),
    )
    assert "Choose an owner from the list" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"due_date_day": "31", "due_date_month": "2", "due_date_year": "2027"}, "The due date must be a real date"),
        ({"due_date_day": "14", "due_date_month": "6", "due_date_year": "2026"}, "must be today or in the future"),
        ({"due_date_day": "", "due_date_month": "", "due_date_year": ""}, "Enter the due date"),
        ({"due_date_month": ""}, "The due date must include a month"),
        ({"due_date_year": "27"}, "Year must include 4 numbers"),
        (
            {"start_date_month": "8", "due_date_day": "1", "due_date_month": "7", "due_date_year": "2026"},
            "same as or after the start date",
        ),
        ({"description": ""}, "Enter the action"),
        ({"description": "x" * 2001}, "The action must be 2,000 characters or fewer"),
        ({"owner": ""}, "Choose who owns this action"),
        ({"unit": ""}, "Choose the unit that owns this action"),
    ],
)
def test_new_action_refuses_bad_input_and_keeps_the_rest(client, world, overrides, message):
    client.force_login(world.director)
    data = _new_action(unit=world.pdu.pk, owner=world.leader.pk) | overrides
    response = client.post(reverse("recommendations:action_create", args=[world.recommendation.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "govuk-error-summary" in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: Add an action" in html
    if overrides.get("success_measure") is None:
        assert "70% of audited cases meet the standard" in html  # what the user typed is kept
    assert Action.objects.filter(recommendation=world.recommendation).count() == 1


def test_query_count_does_not_grow_with_actions(client, world, django_assert_num_queries):
    url = reverse("recommendations:recommendation_detail", args=[world.recommendation.pk])
    client.force_login(world.director)
    client.get(url)
    counter = itertools.count()

    def add(count):
        for _ in range(count):
            action = ActionFactory(
                recommendation=world.recommendation, owner=world.leader, description=f"A{next(counter)}"
            )
            file_evidence(action)

    add(1)
    small = queries_for(client, url)
    add(10)
    with django_assert_num_queries(small):
        client.get(url)
