"""Draft actions, in a response plan awaiting sign-off, follow one rule everywhere.

The live figures (home page, plan, dashboards, downloads, reminders) count live actions
only; a draft is listed on its response plan's page and marked "Draft" wherever else it is
shown; it makes no move (progress, completion, verification) until the plan is approved,
through the pages or the admin; and no action is added beside a plan awaiting sign-off.
"""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from recommendations import plan_sign_off
from recommendations.models import Action, ActionStatus, Response
from recommendations.selectors.dashboards import national_dashboard, regional_dashboard
from tests.factories import InspectionFactory, RecommendationFactory
from tests.web_world import TODAY, build_world

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)
DRAFT_TEXT = "Draft: audit the new sentence plans"


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world():
    w = build_world()
    w.new_inspection = InspectionFactory(unit=w.pdu, title="An inspection of probation services: Derby City 2026")
    w.new_recommendation = RecommendationFactory(inspection=w.new_inspection, number=1, addressed_to=w.pdu)
    plan_sign_off.draft_response(
        recommendation=w.new_recommendation, unit=w.pdu, response=Response.AGREED, rationale="", by=w.leader
    )
    # Due before today: a live action like it would be overdue and red.
    w.draft = plan_sign_off.draft_action(
        recommendation=w.new_recommendation,
        unit=w.pdu,
        by=w.leader,
        description=DRAFT_TEXT,
        owner=w.leader,
        due_date=dt.date(2026, 6, 1),
        success_measure="Audit shows 80%",
    )
    return w


def test_a_draft_is_not_counted_in_the_live_figures(client, world):
    assert Action.objects.drafts().get() == world.draft
    live = Action.objects.live().count()

    national = national_dashboard(user=world.viewer, today=TODAY).total
    regional = regional_dashboard(user=world.director, region=world.region, today=TODAY).total
    assert national.actions == regional.actions == live
    assert national.overdue == regional.overdue == 0
    assert national.without_action == regional.without_action == 1  # the draft's recommendation

    client.force_login(world.leader)
    assert DRAFT_TEXT not in client.get(reverse("recommendations:home")).content.decode()
    assert DRAFT_TEXT not in client.get(reverse("recommendations:action_plan")).content.decode()
    download = client.get(reverse("recommendations:action_plan_csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert DRAFT_TEXT not in {row["Action"] for row in rows}
    assert len([row for row in rows if row["Action"]]) == live


def test_a_draft_is_listed_on_its_plan_and_marked_draft_on_its_recommendation(client, world):
    client.force_login(world.leader)
    plan = client.get(reverse("recommendations:response_plan", args=[world.new_inspection.pk, world.pdu.slug]))
    assert DRAFT_TEXT in plan.content.decode()
    page = client.get(reverse("recommendations:recommendation_detail", args=[world.new_recommendation.pk]))
    html = page.content.decode()
    assert DRAFT_TEXT in html
    assert ">Draft</strong>" in html


def test_progress_on_a_draft_is_refused_with_a_plain_message(client, world):
    client.force_login(world.leader)
    url = reverse("recommendations:action_log_progress", args=[world.draft.pk])
    response = client.post(
        url, {"version": world.draft.version, "narrative": "Started", "status": "in_progress", "rag": "green"}
    )
    assert response.status_code == 200
    assert "This action is a draft in Derby City&#x27;s response plan, which is draft." in response.content.decode()
    assert Action.objects.get(pk=world.draft.pk).status == ActionStatus.NOT_STARTED
    assert not world.draft.updates.exists()


def test_a_draft_cannot_be_completed_or_verified_from_the_admin(client, world):
    admin = world.director
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)
    page = client.get(reverse("admin:recommendations_action_change", args=[world.draft.pk])).content.decode()
    assert reverse("admin:recommendations_action_move", args=[world.draft.pk, "complete"]) not in page
    url = reverse("admin:recommendations_action_move", args=[world.draft.pk, "complete"])
    response = client.post(url, {"version": world.draft.version, "narrative": "Done"}, follow=True)
    assert "This action is a draft in Derby City" in response.content.decode()
    assert Action.objects.get(pk=world.draft.pk).status == ActionStatus.NOT_STARTED


def test_an_action_added_beside_a_plan_awaiting_sign_off_is_refused_pointing_to_the_plan(client, world):
    client.force_login(world.director)
    page = client.get(reverse("recommendations:recommendation_detail", args=[world.new_recommendation.pk]))
    plan_url = reverse("recommendations:response_plan", args=[world.new_inspection.pk, world.pdu.slug])
    assert plan_url in page.content.decode()
    assert reverse("recommendations:action_create", args=[world.new_recommendation.pk]) not in page.content.decode()

    response = client.post(
        reverse("recommendations:action_create", args=[world.new_recommendation.pk]),
        {
            "description": "Added by the director",
            "success_measure": "Audit shows 80%",
            "unit": world.pdu.pk,
            "owner": world.leader.pk,
            "due_date_day": "31",
            "due_date_month": "3",
            "due_date_year": "2027",
        },
    )
    assert response.status_code == 200
    assert "Derby City&#x27;s response plan for this inspection is draft" in response.content.decode()
    assert not Action.objects.filter(description="Added by the director").exists()


def test_once_the_plan_is_approved_the_action_is_live_and_moves(client, world):
    plan = plan_sign_off.submit_plan(inspection=world.new_inspection, unit=world.pdu, by=world.leader)
    plan_sign_off.approve_plan(plan=plan, by=world.director)
    client.force_login(world.leader)
    action = Action.objects.get(pk=world.draft.pk)
    url = reverse("recommendations:action_log_progress", args=[action.pk])
    response = client.post(
        url, {"version": action.version, "narrative": "Started", "status": "in_progress", "rag": "green"}
    )
    assert response.status_code == 302
    assert DRAFT_TEXT in client.get(reverse("recommendations:action_plan")).content.decode()
