"""No lost updates: when two people edit the same action at once, the second save is refused
with a clear message and the first person's change is kept."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from recommendations import services
from recommendations.models import Action, ActionStatus, ProgressUpdate
from tests.web_world import build_world

pytestmark = pytest.mark.django_db

STALE_MESSAGE = "Someone else changed this action while you were editing it"


@pytest.fixture
def world():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        yield build_world()


# Each service that changes an action, called as the second of two people who opened version 1.
SECOND_EDITS = {
    "log progress with a change of status": lambda w, v: services.log_progress(
        action=w.action, author=w.leader, narrative="Second", status="in_progress", expected_version=v
    ),
    "revise due date": lambda w, v: services.revise_due_date(
        action=w.action, new_due_date=dt.date(2028, 1, 1), reason="Second", by=w.director, expected_version=v
    ),
    "edit details": lambda w, v: services.update_action_details(
        action=w.action,
        by=w.director,
        expected_version=v,
        description="Second",
        owner=w.leader,
        success_measure="",
        start_date=None,
    ),
    "mark complete": lambda w, v: services.mark_complete(
        action=w.action, by=w.leader, narrative="Second", expected_version=v
    ),
    "cancel": lambda w, v: services.cancel_action(action=w.action, by=w.director, reason="Second", expected_version=v),
}


@pytest.mark.parametrize("second_edit", SECOND_EDITS)
def test_the_second_of_two_concurrent_service_edits_is_refused_and_the_first_kept(world, second_edit):
    opened = world.action.version
    services.log_progress(
        action=world.action,
        author=world.leader,
        narrative="First",
        status="blocked",
        rag="green",
        expected_version=opened,
    )
    with pytest.raises(services.StaleEditError) as refused:
        SECOND_EDITS[second_edit](world, opened)
    assert STALE_MESSAGE in str(refused.value)
    action = Action.objects.get(pk=world.action.pk)
    assert action.version == opened + 1
    assert action.self_rag == "green"
    assert action.status == ActionStatus.BLOCKED
    assert action.due_date == dt.date(2026, 12, 31)
    assert list(ProgressUpdate.objects.filter(action=action).values_list("narrative", flat=True)) == ["First"]


def test_verification_and_return_also_refuse_a_stale_version(world):
    services.mark_complete(
        action=world.action, by=world.leader, narrative="Done", expected_version=world.action.version
    )
    seen = Action.objects.get(pk=world.action.pk).version
    services.return_action(action=world.action, by=world.director, reason="More please", expected_version=seen)
    with pytest.raises(services.StaleEditError):
        services.verify_action(action=world.action, by=world.director, expected_version=seen)
    assert Action.objects.get(pk=world.action.pk).status == ActionStatus.IN_PROGRESS


def _two_people(world):
    first, second = Client(), Client()
    first.force_login(world.leader)
    second.force_login(world.director)
    return first, second


def _hidden_version(response):
    return response.context["form"]["version"].value()


def test_two_people_logging_progress_at_once_through_the_pages(world):
    first, second = _two_people(world)
    url = reverse("recommendations:action_log_progress", args=[world.action.pk])
    first_version = _hidden_version(first.get(url))
    second_version = _hidden_version(second.get(url))
    assert first_version == second_version == world.action.version
    assert f'name="version" value="{first_version}"' in first.get(url).content.decode()

    saved = first.post(
        url, {"version": first_version, "narrative": "Trainers booked", "status": "blocked", "rag": "green"}
    )
    assert saved.status_code == 302

    # The second person's form still says "in progress": saving it would undo the first's change of status.
    refused = second.post(
        url, {"version": second_version, "narrative": "My own words, kept", "status": "in_progress", "rag": "red"}
    )
    html = refused.content.decode()
    assert refused.status_code == 409
    assert "govuk-error-summary" in html and STALE_MESSAGE in html
    assert "My own words, kept" in html, "the second person's input is shown back to them"
    assert f'name="version" value="{first_version + 1}"' in html, "the form now carries the latest version"

    action = Action.objects.get(pk=world.action.pk)
    assert action.status == ActionStatus.BLOCKED and action.self_rag == "green"
    assert list(action.updates.values_list("narrative", flat=True)) == ["Trainers booked"]

    # Having seen the latest details, the second person can save.
    retried = second.post(
        url, {"version": first_version + 1, "narrative": "My own words, kept", "status": "in_progress", "rag": "red"}
    )
    assert retried.status_code == 302
    assert Action.objects.get(pk=world.action.pk).status == ActionStatus.IN_PROGRESS


def test_two_people_appending_updates_at_once_both_succeed(world):
    first, second = _two_people(world)
    url = reverse("recommendations:action_log_progress", args=[world.action.pk])
    version = _hidden_version(first.get(url))
    assert _hidden_version(second.get(url)) == version
    for client, words in ((first, "Trainers booked"), (second, "Venue found")):
        posted = client.post(url, {"version": version, "narrative": words, "status": "in_progress", "rag": "green"})
        assert posted.status_code == 302
    action = Action.objects.get(pk=world.action.pk)
    assert action.version == version, "an update appended is not an edit"
    assert sorted(action.updates.values_list("narrative", flat=True)) == ["Trainers booked", "Venue found"]


def test_editing_details_while_someone_changes_the_due_date(world):
    first, second = _two_people(world)
    details_url = reverse("recommendations:action_edit", args=[world.action.pk])
    due_url = reverse("recommendations:action_revise_due_date", args=[world.action.pk])
    leader_director = Client()
    leader_director.force_login(world.director)
    edit_form = second.get(details_url)
    opened = _hidden_version(edit_form)

    moved = leader_director.post(
        due_url,
        {
            "version": opened,
            "new_due_date_day": "31",
            "new_due_date_month": "3",
            "new_due_date_year": "2027",
            "reason": "Trainer on leave",
        },
    )
    assert moved.status_code == 302, moved.content.decode()[:3000]

    data = {
        "version": opened,
        "description": "Reworded by the director",
        "owner": world.leader.pk,
        "success_measure": "Audit results",
        "start_date_day": "1",
        "start_date_month": "6",
        "start_date_year": "2026",
    }
    refused = second.post(details_url, data)
    assert refused.status_code == 409
    assert STALE_MESSAGE in refused.content.decode()
    action = Action.objects.get(pk=world.action.pk)
    assert action.due_date == dt.date(2027, 3, 31)
    assert action.description != "Reworded by the director"


def test_a_form_without_its_version_is_refused_rather_than_saved_blindly(world):
    client = Client()
    client.force_login(world.leader)
    url = reverse("recommendations:action_log_progress", args=[world.action.pk])
    response = client.post(url, {"narrative": "No version", "status": "in_progress", "rag": "green"})
    assert response.status_code == 200
    assert "This page was out of date" in response.content.decode()
    assert not ProgressUpdate.objects.filter(narrative="No version").exists()
