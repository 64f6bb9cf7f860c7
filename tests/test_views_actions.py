"""The action page and its forms: progress, completion, due date, details, verify and return."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.models import RAG, ActionStatus, Evidence, ProgressUpdate
from tests.factories import ProgressUpdateFactory
from tests.versions import seen_version
from tests.web_world import build_world, file_evidence, queries_for

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world():
    return build_world()


def url(name, action):
    return reverse(f"recommendations:{name}", args=[action.pk])


def test_details_show_dates_status_and_both_rags(client, world):
    action = world.action
    services.revise_due_date(
        action=action, new_due_date=dt.date(2027, 2, 28), reason="Audit moved", by=world.director, expected_version=1
    )
    client.force_login(world.leader)
    html = client.get(url("action_detail", action)).content.decode()
    assert 'Original due date</dt>\n          <dd class="govuk-summary-list__value">31 December 2026' in html
    assert "28 February 2027" in html
    assert '<strong class="govuk-tag govuk-tag--blue">In progress</strong>' in html
    assert html.count("<h1") == 1


def test_optimistic_self_rating_is_shown_plainly_with_the_reason(client, world):
    action = world.action
    action.due_date = dt.date(2026, 6, 1)
    action.start_date = dt.date(2026, 1, 1)
    action.self_rag = RAG.GREEN
    action.save()
    client.force_login(world.director)
    html = client.get(url("action_detail", action)).content.decode()
    warning = html.split('class="govuk-warning-text"')[1].split("</div>")[0]
    assert "The owner rates this action green, but from its dates and evidence it is red." in warning
    assert "It was due on 1 June 2026 and is not complete." in warning


def test_no_warning_when_self_rating_matches(client, world):
    world.action.self_rag = RAG.GREEN
    world.action.save()
    client.force_login(world.leader)
    html = client.get(url("action_detail", world.action)).content.decode()
    assert "govuk-warning-text" not in html


def test_timeline_merges_updates_and_due_date_changes_newest_first(client, world, _frozen_clock):
    action = world.action
    ProgressUpdateFactory(action=action, narrative="First sessions held", created_at=timezone.now())
    _frozen_clock.shift(dt.timedelta(days=1))
    services.revise_due_date(
        action=action,
        new_due_date=dt.date(2027, 1, 31),
        reason="Auditor on leave",
        by=world.director,
        expected_version=1,
    )
    _frozen_clock.shift(dt.timedelta(days=1))
    services.log_progress(
        action=action,
        author=world.leader,
        narrative="Audit booked",
        status="in_progress",
        rag="green",
        expected_version=seen_version(action),
    )
    client.force_login(world.leader)
    html = client.get(url("action_detail", action)).content.decode()
    timeline = html.split('class="moj-timeline"')[1]
    assert timeline.index("Audit booked") < timeline.index("Auditor on leave") < timeline.index("First sessions held")
    assert "From 31 December 2026 to 31 January 2027." in timeline


def test_log_progress(client, world):
    client.force_login(world.leader)
    page = client.get(url("action_log_progress", world.action)).content.decode()
    assert 'name="version" value="1"' in page
    response = client.post(
        url("action_log_progress", world.action),
        {"version": "1", "narrative": "Sessions <b>held</b>", "status": "blocked", "rag": "amber"},
    )
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.status == ActionStatus.BLOCKED
    assert world.action.self_rag == RAG.AMBER
    assert world.action.version == 2
    html = client.get(response["Location"]).content.decode()
    assert "Progress update saved." in html
    assert "Sessions &lt;b&gt;held&lt;/b&gt;" in html


def test_log_progress_errors_keep_input(client, world):
    client.force_login(world.leader)
    response = client.post(
        url("action_log_progress", world.action), {"version": "1", "narrative": "", "status": "blocked"}
    )
    html = response.content.decode()
    assert "Enter what has been done since the last update" in html
    assert "Choose red, amber or green" in html
    assert 'value="blocked" checked' in html
    assert ProgressUpdate.objects.filter(action=world.action).count() == 0


def test_stale_edit_is_refused_and_the_other_change_kept(client, world):
    client.force_login(world.leader)
    client.get(url("action_log_progress", world.action))  # the form is opened at version 1 …
    services.log_progress(  # … while the director logs an update
        action=world.action,
        author=world.director,
        narrative="Director's note",
        status="blocked",
        expected_version=1,
    )
    response = client.post(  # "in progress", as the form showed: that would undo the director's change
        url("action_log_progress", world.action),
        {"version": "1", "narrative": "My late update", "status": "in_progress", "rag": "red"},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this action while you were editing it" in html
    assert "My late update" in html  # nothing the user typed is lost
    assert 'name="version" value="2"' in html  # a second submit, once checked, will go through
    narratives = list(ProgressUpdate.objects.filter(action=world.action).values_list("narrative", flat=True))
    assert narratives == ["Director's note"]
    world.action.refresh_from_db()
    assert world.action.status == ActionStatus.BLOCKED


def test_mark_complete_needs_evidence_and_a_closing_update(client, world):
    Evidence.objects.filter(action=world.action).delete()
    client.force_login(world.leader)
    response = client.post(url("action_complete", world.action), {"version": "1", "narrative": "All done"})
    assert "Add at least one piece of evidence before marking this action complete." in response.content.decode()
    file_evidence(world.action)
    response = client.post(url("action_complete", world.action), {"version": "1", "narrative": ""})
    assert "Enter a closing update" in response.content.decode()
    response = client.post(url("action_complete", world.action), {"version": "1", "narrative": "All 24 sessions held"})
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.status == ActionStatus.COMPLETED
    assert world.action.completed_by == world.leader


def test_revise_due_date(client, world):
    client.force_login(world.director)
    form = url("action_revise_due_date", world.action)
    past = {
        "version": "1",
        "new_due_date_day": "1",
        "new_due_date_month": "6",
        "new_due_date_year": "2026",
        "reason": "x",
    }
    assert "The new due date must be today or in the future" in client.post(form, past).content.decode()
    no_reason = past | {"new_due_date_year": "2027", "reason": ""}
    html = client.post(form, no_reason).content.decode()
    assert "Enter the reason for changing the due date" in html
    assert 'value="2027"' in html
    response = client.post(form, no_reason | {"reason": "Auditor on leave"})
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.due_date == dt.date(2027, 6, 1)
    assert world.action.original_due_date == dt.date(2026, 12, 31)


def test_edit_details(client, world):
    client.force_login(world.director)
    form = url("action_edit", world.action)
    assert "Deliver risk of harm training" in client.get(form).content.decode()
    response = client.post(
        form,
        {
            "version": "1",
            "description": "Deliver training and audit",
            "owner": world.director.pk,
            "success_measure": "75% of cases",
            "start_date_day": "",
            "start_date_month": "",
            "start_date_year": "",
        },
    )
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.description == "Deliver training and audit"
    assert world.action.owner == world.director
    assert world.action.start_date is None


def _complete(world):
    services.mark_complete(action=world.action, by=world.leader, narrative="Done", expected_version=1)
    world.action.refresh_from_db()


def test_director_verifies_with_an_optional_comment(client, world):
    _complete(world)
    client.force_login(world.director)
    html = client.get(url("action_detail", world.action)).content.decode()
    assert url("action_verify", world.action) in html
    response = client.post(url("action_verify", world.action), {"version": "2", "comment": ""})
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.status == ActionStatus.VERIFIED
    assert world.action.verified_by == world.director
    assert world.action.verified_at == timezone.now()


def test_verifying_an_open_action_is_refused_with_a_message(client, world):
    client.force_login(world.director)
    response = client.post(url("action_verify", world.action), {"version": "1"})
    assert "Only a completed action can be verified." in response.content.decode()


def test_director_returns_with_a_reason(client, world):
    _complete(world)
    client.force_login(world.director)
    form = url("action_return", world.action)
    assert "Enter what more is needed" in client.post(form, {"version": "2", "reason": ""}).content.decode()
    response = client.post(form, {"version": "2", "reason": "Add the case audit"})
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.status == ActionStatus.IN_PROGRESS
    client.force_login(world.leader)
    html = client.get(url("action_detail", world.action)).content.decode()
    assert "Returned for more evidence" in html
    timeline = html.split('class="moj-timeline"')[1]
    assert f"Returned for more evidence by {world.director}, reason: Add the case audit" in timeline
    assert "Owner's RAG" not in timeline.split("Returned for more evidence by")[0].rsplit("moj-timeline__item", 1)[-1]


def test_query_count_does_not_grow_with_history(client, world, django_assert_num_queries):
    page = url("action_detail", world.action)
    client.force_login(world.director)
    client.get(page)

    def add(count):
        for index in range(count):
            ProgressUpdateFactory(action=world.action, narrative=f"Update {index}")
            file_evidence(world.action, title=f"Evidence {index}")

    add(1)
    small = queries_for(client, page)
    add(10)
    with django_assert_num_queries(small):
        client.get(page)


def test_mark_complete_warns_up_front_when_the_action_has_no_evidence(client, world):
    client.force_login(world.leader)
    url = reverse("recommendations:action_complete", args=[world.action.pk])
    assert "has no evidence yet" not in client.get(url).content.decode()  # the world's action has evidence
    for item in world.action.evidence.all():
        services.withdraw_evidence(
            evidence=item, by=world.leader, reason="Wrong file", expected_version=seen_version(item.action)
        )
    html = client.get(url).content.decode()
    assert "This action has no evidence yet." in html
    assert reverse("recommendations:evidence_add", args=[world.action.pk]) in html


def test_the_progress_form_chooses_no_rating_and_shows_where_the_action_stands(client, world):
    action = world.action
    action.self_rag = RAG.GREEN
    action.due_date = dt.date(2026, 5, 15)  # a month overdue on 15 June
    action.save()
    client.force_login(world.leader)
    html = client.get(url("action_log_progress", action)).content.decode()
    assert 'name="rag" type="radio" value="green" checked' not in html
    assert not re.search(r'name="rag"[^>]*checked', html)
    assert "31 days overdue" in html
    assert "It was due on 15 May 2026 and is not complete." in html
    assert "2 items" in html  # the file and the link


def test_the_verify_page_shows_what_is_being_verified(client, world):
    _complete(world)
    client.force_login(world.director)
    html = client.get(url("action_verify", world.action)).content.decode()
    assert world.action.success_measure in html
    assert "Closing update" in html and '<p class="govuk-body app-preserve-lines">Done</p>' in html
    assert reverse("recommendations:evidence_download", args=[world.evidence.pk]) in html
    assert world.link.url in html
    assert "Derived RAG over time" in html
    assert html.index("Derived RAG over time") < html.index(">Verify</button>")
    assert reverse("recommendations:action_return", args=[world.action.pk]) in html
