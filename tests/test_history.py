"""Full history: every change through the services is recorded with who, when and old → new values,
and the history pages show it to those who oversee the plan."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations import services
from recommendations.models import Action, ActionStatus, Evidence, ProgressUpdate, Recommendation, Response
from tests.factories import UserFactory
from tests.versions import seen_version
from tests.web_world import PDF_BYTES, build_world

pytestmark = pytest.mark.django_db

MORNING = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def world():
    with time_machine.travel(MORNING, tick=False):
        yield build_world()


def _changes(record):
    delta = record.diff_against(record.prev_record)
    return {change.field: (change.old, change.new) for change in delta.changes}


def _live_through_a_plan(world):
    """An action's whole life, each step a minute apart, by the people who would do it."""
    action, leader, director = world.action, world.leader, world.director
    with time_machine.travel(MORNING, tick=False) as clock:
        for step in (
            lambda: services.log_progress(
                action=action,
                author=leader,
                narrative="Booked the trainers.",
                status="blocked",
                rag="amber",
                expected_version=action.version,
            ),
            lambda: services.revise_due_date(
                action=action,
                new_due_date=dt.date(2027, 3, 31),
                reason="Trainer on leave.",
                by=director,
                expected_version=Action.objects.get(pk=action.pk).version,
            ),
            lambda: services.add_evidence(
                action=action,
                added_by=leader,
                title="Attendance register",
                uploaded_file=SimpleUploadedFile("register.pdf", PDF_BYTES),
                content_type="application/pdf",
            ),
            lambda: services.withdraw_evidence(
                evidence=Evidence.objects.get(title="Attendance register"),
                by=leader,
                reason="Wrong quarter.",
                expected_version=seen_version(Evidence.objects.get(title="Attendance register").action),
            ),
            lambda: services.mark_complete(
                action=action,
                by=leader,
                narrative="All staff trained.",
                expected_version=Action.objects.get(pk=action.pk).version,
            ),
            lambda: services.return_action(
                action=action,
                by=director,
                reason="Show the audit results.",
                expected_version=Action.objects.get(pk=action.pk).version,
            ),
            lambda: services.set_response(
                recommendation=world.recommendation,
                response=Response.PARTLY_AGREED,
                rationale="Resources.",
                by=director,
            ),
        ):
            clock.shift(dt.timedelta(minutes=1))
            step()


def test_every_service_write_records_who_and_what_changed(world):
    _live_through_a_plan(world)
    records = list(Action.history.filter(id=world.action.pk).order_by("history_date", "history_id"))
    # Created by the factory, then: progress, due date, evidence withdrawn, completion, return.
    assert [r.history_type for r in records] == ["+", "~", "~", "~", "~", "~"]
    assert [r.history_user for r in records[1:]] == [
        world.leader,
        world.director,
        world.leader,
        world.leader,
        world.director,
    ]
    assert _changes(records[1])["status"] == (ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED)
    assert _changes(records[1])["self_rag"] == ("", "amber")
    assert _changes(records[2])["due_date"] == (dt.date(2026, 12, 31), dt.date(2027, 3, 31))
    assert _changes(records[3]) == {"version": (3, 4)}
    assert _changes(records[4])["status"] == (ActionStatus.BLOCKED, ActionStatus.COMPLETED)
    assert _changes(records[5])["return_reason"] == ("", "Show the audit results.")

    updates = ProgressUpdate.history.filter(action_id=world.action.pk)
    assert updates.count() == 3 and {u.history_type for u in updates} == {"+"}
    evidence_records = list(Evidence.history.filter(title="Attendance register").order_by("history_date"))
    assert [(r.history_type, r.history_user) for r in evidence_records] == [("+", world.leader), ("~", world.leader)]
    assert _changes(evidence_records[1])["withdrawal_reason"] == ("", "Wrong quarter.")

    latest = Recommendation.history.filter(id=world.recommendation.pk).latest()
    assert latest.history_user == world.director
    assert _changes(latest)["response"] == ("", Response.PARTLY_AGREED)


def _rows(html):
    """The history table as text, one string per row, tags removed."""
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).replace("→", "").split()) for row in rows]


def test_the_action_history_page_lists_each_change_old_to_new(client, world):
    _live_through_a_plan(world)
    client.force_login(world.director)
    response = client.get(reverse("recommendations:action_history", args=[world.action.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>History of an action (Recommendation 1) – Inspection action plan tracker – GOV.UK</title>" in html
    rows = _rows(html)
    assert any(
        "Dana Director" in row
        and "Status changed from Completed – awaiting verification to In progress" in row
        and "Return reason changed from Not set to Show the audit results." in row
        for row in rows
    ), rows
    assert any("Della Derby" in row and "Status changed from In progress to Blocked" in row for row in rows)
    assert any(
        "Revised Due date" in row and "31 December 2026 to 31 March 2027" in row and "Reason: Trainer on leave." in row
        for row in rows
    )
    assert any(
        "Evidence: Attendance register" in row and "Withdrawal reason changed from Not set to Wrong quarter." in row
        for row in rows
    )
    assert any("Created Progress update" in row and "All staff trained." in row for row in rows)
    # Newest first: the return is the first row.
    assert "Show the audit results." in rows[0]


def test_the_recommendation_history_page_shows_the_response_and_the_actions(client, world):
    _live_through_a_plan(world)
    client.force_login(world.viewer)
    response = client.get(reverse("recommendations:recommendation_history", args=[world.recommendation.pk]))
    assert response.status_code == 200
    rows = _rows(response.content.decode())
    assert any("Response changed from Awaiting response to Partly agreed" in row for row in rows)
    assert any("Response rationale changed from Not set to Resources." in row for row in rows)
    assert any("Action: Deliver risk of harm training" in row and "Due date changed from" in row for row in rows)
    assert any("Self-assessed RAG changed from Not set to Amber" in row for row in rows)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("leader", 200),
        ("other_leader", 404),
        ("far_leader", 404),
        ("director", 200),
        ("viewer", 200),
        ("national_editor", 200),
    ],
)
def test_who_may_read_a_pdu_actions_history(client, world, role, expected):
    client.force_login(getattr(world, role))
    assert client.get(reverse("recommendations:action_history", args=[world.action.pk])).status_code == expected
    response = client.get(reverse("recommendations:recommendation_history", args=[world.recommendation.pk]))
    assert response.status_code == expected


def test_a_pdu_leader_cannot_read_the_history_of_hmpps_work_they_can_see(client, world):
    client.force_login(world.leader)
    assert client.get(reverse("recommendations:action_detail", args=[world.national_action.pk])).status_code == 200
    response = client.get(reverse("recommendations:action_history", args=[world.national_action.pk]))
    assert response.status_code == 403
    assert "You cannot see this history" in response.content.decode()
    page = client.get(reverse("recommendations:action_detail", args=[world.national_action.pk])).content.decode()
    assert reverse("recommendations:action_history", args=[world.national_action.pk]) not in page


def test_the_history_link_is_on_the_pages_of_those_who_may_follow_it(client, world):
    client.force_login(world.director)
    page = client.get(reverse("recommendations:action_detail", args=[world.action.pk])).content.decode()
    assert reverse("recommendations:action_history", args=[world.action.pk]) in page
    page = client.get(reverse("recommendations:recommendation_detail", args=[world.recommendation.pk])).content.decode()
    assert reverse("recommendations:recommendation_history", args=[world.recommendation.pk]) in page


def test_history_shows_html_as_text(client, world):
    services.log_progress(
        action=world.action,
        author=world.leader,
        narrative="<script>alert(1)</script>",
        status="in_progress",
        expected_version=world.action.version,
    )
    client.force_login(world.director)
    html = client.get(reverse("recommendations:action_history", args=[world.action.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_the_admin_shows_each_models_history(client, world):
    _live_through_a_plan(world)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True, role="administrator"))
    for model, pk in [
        ("action", world.action.pk),
        ("recommendation", world.recommendation.pk),
        ("evidence", Evidence.objects.get(title="Attendance register").pk),
        ("progressupdate", ProgressUpdate.objects.filter(action=world.action).first().pk),
        ("inspection", world.inspection.pk),
    ]:
        response = client.get(reverse(f"admin:recommendations_{model}_history", args=[pk]))
        assert response.status_code == 200, model
        assert "history" in response.content.decode().lower()


def test_a_row_whose_history_began_later_is_shown_as_first_recorded_not_as_changed_from_nothing(client, world):
    """Rows loaded from a fixture have no creation record; their first copy is a change."""
    Action.history.filter(id=world.action.pk).delete()
    services.log_progress(
        action=world.action,
        author=world.leader,
        narrative="Picked up",
        status="blocked",
        expected_version=world.action.version,
    )
    client.force_login(world.director)
    rows = _rows(client.get(reverse("recommendations:action_history", args=[world.action.pk])).content.decode())
    first = next(row for row in rows if "First recorded Action" in row)
    assert "Status Blocked" in first
    assert "changed from Not set" not in first


def test_an_action_is_named_in_histories_by_whole_words():
    world = build_world()
    world.action.description = "Agree an information-sharing protocol between the regional unpaid work team and police"
    name = str(world.action)
    assert name.endswith("– Agree an information-sharing protocol between the regional unpaid work team…")
