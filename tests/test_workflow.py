"""How an action moves (recommendations.workflow), through the service's pages and the admin.

Each forbidden move answers with a plain-English refusal, a GOV.UK error on the page or a
message in the admin, and changes nothing.
"""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from recommendations import services, workflow
from recommendations.models import Action, ActionStatus, Evidence, ProgressUpdate, Role
from tests.factories import UserFactory
from tests.versions import seen_version
from tests.web_world import build_world

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world():
    return build_world()


def _url(name, obj):
    return reverse(f"recommendations:{name}", args=[obj.pk])


def _complete(world, *, by=None):
    services.mark_complete(
        action=world.action, by=by or world.leader, narrative="Done", expected_version=seen_version(world.action)
    )
    world.action.refresh_from_db()


def _verify(world):
    _complete(world)
    services.verify_action(action=world.action, by=world.director, expected_version=seen_version(world.action))
    world.action.refresh_from_db()


def _unchanged(world, before):
    after = Action.objects.get(pk=world.action.pk)
    return (after.status, after.version, after.due_date) == before


def _state(world):
    action = Action.objects.get(pk=world.action.pk)
    return (action.status, action.version, action.due_date)


def test_the_table_names_every_move_with_who_and_what_it_needs():
    rows = {row["move"]: row for row in workflow.table()}
    assert set(rows) == {
        "Log progress",
        "Mark complete",
        "Record a completion imported from another tracker",
        "Record a verification imported from another tracker",
        "Verify",
        "Return for more evidence",
        "Cancel",
        "Reopen",
    }
    assert "never whoever completed it" in rows["Verify"]["who"]
    assert rows["Reopen"]["from"] == "Verified, Cancelled"


def test_a_director_cannot_verify_an_action_she_completed(client, world):
    _complete(world, by=world.director)
    before = _state(world)
    client.force_login(world.director)
    response = client.get(_url("action_verify", world.action))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You marked this action complete, so someone else must verify it." in html
    assert "Ned Editor" in html, "the page names who can verify it instead"
    with pytest.raises(ValidationError, match="someone else must verify it"):
        services.verify_action(action=world.action, by=world.director, expected_version=seen_version(world.action))
    assert _unchanged(world, before)


def test_the_national_team_verifies_when_the_director_cannot(client, world):
    _complete(world, by=world.director)
    client.force_login(world.national_editor)
    response = client.post(_url("action_verify", world.action), {"version": world.action.version, "comment": ""})
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.status == ActionStatus.VERIFIED and world.action.verified_by == world.national_editor


def test_the_action_page_says_who_can_verify_to_someone_who_cannot(client, world):
    _complete(world)
    client.force_login(world.leader)
    html = client.get(_url("action_detail", world.action)).content.decode()
    assert "Awaiting verification. It can be verified by Dana Director or Ned Editor." in html


def test_verification_needs_current_evidence(client, world):
    _complete(world)
    Evidence.objects.filter(action=world.action).update(
        withdrawn_at=timezone.now(), withdrawn_by=world.leader, withdrawal_reason="Wrong file"
    )
    before = _state(world)
    client.force_login(world.director)
    response = client.post(_url("action_verify", world.action), {"version": world.action.version, "comment": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "This action has no current evidence" in html
    assert _unchanged(world, before)


def test_evidence_cannot_be_withdrawn_while_the_action_awaits_verification(client, world):
    _complete(world)
    before = _state(world)
    client.force_login(world.leader)
    response = client.post(
        _url("evidence_withdraw", world.evidence), {"version": world.action.version, "reason": "Wrong file"}
    )
    assert response.status_code == 403
    assert "Ask for it to be returned for more evidence first." in response.content.decode()
    world.evidence.refresh_from_db()
    assert not world.evidence.is_withdrawn and _unchanged(world, before)


def test_withdrawing_evidence_needs_the_version_the_user_saw(client, world):
    client.force_login(world.leader)
    stale = world.action.version
    services.revise_due_date(
        action=world.action, new_due_date=dt.date(2027, 1, 31), reason="Moved", by=world.director, expected_version=1
    )
    response = client.post(_url("evidence_withdraw", world.evidence), {"version": stale, "reason": "Wrong file"})
    assert response.status_code == 409
    world.evidence.refresh_from_db()
    assert not world.evidence.is_withdrawn


def test_a_verified_action_is_closed_to_edits_and_due_date_changes(client, world):
    _verify(world)
    before = _state(world)
    client.force_login(world.director)
    version = world.action.version
    due = client.post(
        _url("action_revise_due_date", world.action),
        {
            "version": version,
            "new_due_date_day": "1",
            "new_due_date_month": "3",
            "new_due_date_year": "2027",
            "reason": "Later",
        },
    )
    edit = client.post(
        _url("action_edit", world.action),
        {"version": version, "description": "Rewritten", "owner": world.leader.pk, "success_measure": ""},
    )
    for response in (due, edit):
        assert response.status_code == 403
        assert "This action has been verified, so it is closed." in response.content.decode()
    assert _unchanged(world, before)
    assert Action.objects.get(pk=world.action.pk).description != "Rewritten"


def test_reopening_needs_a_reason_and_is_shown_in_the_timeline(client, world):
    _verify(world)
    client.force_login(world.director)
    empty = client.post(_url("action_reopen", world.action), {"version": world.action.version, "reason": ""})
    assert "Enter why this action is being reopened" in empty.content.decode()
    assert Action.objects.get(pk=world.action.pk).status == ActionStatus.VERIFIED
    done = client.post(
        _url("action_reopen", world.action), {"version": world.action.version, "reason": "The audit was redone"}
    )
    assert done.status_code == 302
    action = Action.objects.get(pk=world.action.pk)
    assert action.status == ActionStatus.IN_PROGRESS and action.verified_by is None
    assert "Reopened: The audit was redone" in client.get(_url("action_detail", action)).content.decode()


def test_cancelling_needs_a_reason_and_is_shown_in_the_timeline(client, world):
    client.force_login(world.director)
    empty = client.post(_url("action_cancel", world.action), {"version": world.action.version, "reason": ""})
    assert "Enter why this action is being cancelled" in empty.content.decode()
    assert Action.objects.get(pk=world.action.pk).status == ActionStatus.IN_PROGRESS
    client.post(_url("action_cancel", world.action), {"version": world.action.version, "reason": "Merged"})
    assert Action.objects.get(pk=world.action.pk).status == ActionStatus.CANCELLED
    assert "Cancelled: Merged" in client.get(_url("action_detail", world.action)).content.decode()


def test_a_pdu_leader_cannot_cancel_an_action(client, world):
    client.force_login(world.leader)
    response = client.post(_url("action_cancel", world.action), {"version": world.action.version, "reason": "No"})
    assert response.status_code == 403
    with pytest.raises(ValidationError, match="You cannot cancel this action"):
        services.cancel_action(action=world.action, by=world.leader, reason="No", expected_version=1)
    assert Action.objects.get(pk=world.action.pk).status == ActionStatus.IN_PROGRESS


def test_an_owner_must_act_for_the_actions_unit(client, world):
    client.force_login(world.director)
    response = client.post(
        _url("action_edit", world.action),
        {"version": world.action.version, "description": "Same", "owner": world.far_leader.pk, "success_measure": ""},
    )
    assert response.status_code == 200
    assert Action.objects.get(pk=world.action.pk).owner == world.leader
    with pytest.raises(ValidationError, match="cannot own an action of Derby City PDU"):
        services.update_action_details(
            action=world.action,
            by=world.director,
            expected_version=world.action.version,
            description="Same",
            owner=world.far_leader,
            success_measure="",
            start_date=None,
        )


def test_changing_the_unit_rechecks_the_owner(world):
    with pytest.raises(ValidationError, match="cannot own an action of Derbyshire PDU"):
        services.update_action_details(
            action=world.action,
            by=world.director,
            expected_version=world.action.version,
            description="Same",
            owner=world.leader,
            success_measure="",
            start_date=None,
            unit=world.other_pdu,
        )
    assert Action.objects.get(pk=world.action.pk).unit == world.pdu


def test_an_edit_without_a_version_is_a_mistake_not_a_silent_overwrite(world):
    with pytest.raises(TypeError, match="expected_version is required"):
        services.revise_due_date(
            action=world.action, new_due_date=dt.date(2027, 1, 1), reason="x", by=world.director, expected_version=None
        )


# The admin


@pytest.fixture
def admin_user():
    return UserFactory(username="root", unit=None, role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def director_admin(world):
    world.director.is_staff = True
    world.director.is_superuser = True
    world.director.save()
    return world.director


def _admin_move(client, action, move, data):
    url = reverse("admin:recommendations_action_move", args=[action.pk, move])
    return client.post(url, {"version": seen_version(action), **data}, follow=True)


def test_the_admin_add_form_with_status_verified_does_not_fail(client, world, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:recommendations_action_add"),
        {
            "recommendation": world.recommendation.pk,
            "description": "Audit twenty cases",
            "owner": world.leader.pk,
            "unit": world.pdu.pk,
            "success_measure": "",
            "due_date": "2026-12-31",
            "status": "verified",
            "due_date_revisions-TOTAL_FORMS": "0",
            "due_date_revisions-INITIAL_FORMS": "0",
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    created = Action.objects.get(description="Audit twenty cases")
    assert created.status == ActionStatus.NOT_STARTED, "a new action starts not started, whatever is posted"
    assert created.original_due_date == dt.date(2026, 12, 31) and created.created_by == admin_user


def test_the_admin_change_form_does_not_change_status_or_due_date(client, world, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:recommendations_action_change", args=[world.action.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' not in page and 'name="due_date"' not in page
    assert "How an action moves" in page


def test_an_admin_refusal_is_a_message_and_changes_nothing(client, world, admin_user):
    client.force_login(admin_user)
    before = _state(world)
    response = _admin_move(client, world.action, "verify", {"comment": ""})
    assert response.status_code == 200
    assert "Only a completed action can be verified." in response.content.decode()
    assert _unchanged(world, before)


def test_the_admin_verifies_through_the_same_rules(client, world, director_admin):
    _complete(world, by=world.director)
    client.force_login(director_admin)
    before = _state(world)
    refused = _admin_move(client, world.action, "verify", {"comment": ""})
    assert "You marked this action complete, so someone else must verify it." in refused.content.decode()
    assert _unchanged(world, before)


def test_the_admin_changes_a_due_date_only_with_a_reason_kept_as_a_revision(client, world, admin_user):
    client.force_login(admin_user)
    refused = _admin_move(client, world.action, "due-date", {"new_due_date": "2027-02-01", "reason": " "})
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    assert not world.action.due_date_revisions.exists()
    _admin_move(client, world.action, "due-date", {"new_due_date": "2027-02-01", "reason": "Auditor on leave"})
    action = Action.objects.get(pk=world.action.pk)
    assert action.due_date == dt.date(2027, 2, 1)
    assert action.due_date_revisions.get().reason == "Auditor on leave"


def test_the_admin_cancels_only_with_a_reason(client, world, admin_user):
    client.force_login(admin_user)
    refused = _admin_move(client, world.action, "cancel", {"reason": ""})
    assert Action.objects.get(pk=world.action.pk).status == ActionStatus.IN_PROGRESS
    assert refused.status_code == 200
    _admin_move(client, world.action, "cancel", {"reason": "Merged with action 4"})
    assert Action.objects.get(pk=world.action.pk).status == ActionStatus.CANCELLED
    assert ProgressUpdate.objects.filter(action=world.action, narrative="Cancelled: Merged with action 4").exists()


def test_the_admin_edit_of_a_verified_action_is_refused_with_an_error(client, world, admin_user):
    _verify(world)
    client.force_login(admin_user)
    url = reverse("admin:recommendations_action_change", args=[world.action.pk])
    response = client.post(
        url,
        {
            "expected_version": world.action.version,
            "description": "Rewritten",
            "owner": world.leader.pk,
            "unit": world.pdu.pk,
            "success_measure": "",
            "due_date_revisions-TOTAL_FORMS": "0",
            "due_date_revisions-INITIAL_FORMS": "0",
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "This action has been verified, so it is closed." in response.content.decode()
    assert Action.objects.get(pk=world.action.pk).description != "Rewritten"


def test_the_admin_offers_no_delete_of_actions_evidence_or_readings(client, world, admin_user):
    client.force_login(admin_user)
    for name in ("action", "evidence", "progressupdate", "duedaterevision"):
        page = client.get(reverse(f"admin:recommendations_{name}_changelist")).content.decode()
        assert "delete_selected" not in page, name
    recommendation_page = client.get(
        reverse("admin:recommendations_recommendation_change", args=[world.recommendation.pk])
    ).content.decode()
    assert "actions-0-DELETE" not in recommendation_page
    assert 'name="actions-0-status"' not in recommendation_page


def test_the_admin_shows_an_evidence_file_read_only(client, world, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:recommendations_evidence_change", args=[world.evidence.pk])).content.decode()
    assert 'type="file"' not in page


def test_an_imported_completion_is_recorded_by_an_administrator_and_verified_here(world, admin_user):
    with pytest.raises(ValidationError, match="You cannot record a completion imported"):
        services.record_imported_completion(
            action=world.action,
            by=world.director,
            completed_on=dt.date(2026, 5, 1),
            source="x.xlsx row 2",
            expected_version=world.action.version,
        )
    action = services.record_imported_completion(
        action=world.action,
        by=admin_user,
        completed_on=dt.date(2026, 5, 1),
        source="East Midlands tracker.xlsx, row 12",
        expected_version=world.action.version,
    )
    assert action.status == ActionStatus.COMPLETED and action.completed_at.date() == dt.date(2026, 5, 1)
    assert action.updates.get().narrative.startswith("Completed, as recorded in East Midlands tracker.xlsx, row 12")
    Evidence.objects.filter(action=action).update(
        withdrawn_at=timezone.now(), withdrawn_by=world.leader, withdrawal_reason="Old"
    )
    with pytest.raises(ValidationError, match="no current evidence"):
        services.verify_action(action=action, by=world.director, expected_version=action.version)


def _imported_completion(world, admin_user):
    return services.record_imported_completion(
        action=world.action,
        by=admin_user,
        completed_on=dt.date(2026, 5, 1),
        source="East Midlands tracker.xlsx, row 12",
        expected_version=world.action.version,
    )


def _imported_verification(world, action, *, by, **changes):
    arguments = {
        "verified_by": world.director,
        "verified_on": dt.date(2026, 5, 3),
        "source": "East Midlands tracker.xlsx, row 12",
        **changes,
    }
    return services.record_imported_verification(action=action, by=by, expected_version=action.version, **arguments)


def test_an_imported_verification_is_recorded_by_an_administrator_without_evidence_and_shown_as_such(
    client, world, admin_user
):
    action = _imported_completion(world, admin_user)
    Evidence.objects.filter(action=action).update(
        withdrawn_at=timezone.now(), withdrawn_by=world.leader, withdrawal_reason="Kept in the old tracker"
    )
    with pytest.raises(ValidationError, match="You cannot record a verification imported"):
        _imported_verification(world, action, by=world.director)
    action = _imported_verification(world, action, by=admin_user)
    assert (action.status, action.verified_by, action.verified_at.date()) == (
        ActionStatus.VERIFIED,
        world.director,
        dt.date(2026, 5, 3),
    )
    assert action.updates.order_by("created_at").last().narrative == (
        f"Verified before this service (imported from East Midlands tracker.xlsx, row 12), "
        f"by {world.director} on 3 May 2026."
    )
    client.force_login(world.director)
    page = client.get(_url("action_detail", action)).content.decode()
    assert f"Verified before this service (imported), by {world.director} on 3 May 2026" in page


def test_an_imported_verification_needs_a_completed_action_a_verifier_other_than_the_owner_and_a_past_date(
    world, admin_user
):
    with pytest.raises(ValidationError, match="Only a completed action can be recorded as verified"):
        _imported_verification(world, world.action, by=admin_user)
    action = _imported_completion(world, admin_user)
    with pytest.raises(ValidationError, match="owns this action, so cannot have verified it"):
        _imported_verification(world, action, by=admin_user, verified_by=action.owner)
    with pytest.raises(ValidationError, match="verification date must be today or in the past"):
        _imported_verification(world, action, by=admin_user, verified_on=dt.date(2026, 7, 1))
    with pytest.raises(ValidationError, match="cannot have been verified before it was completed"):
        _imported_verification(world, action, by=admin_user, verified_on=dt.date(2026, 4, 30))
    assert Action.objects.get(pk=action.pk).status == ActionStatus.COMPLETED


def test_reopening_an_imported_verification_clears_it(world, admin_user):
    action = _imported_verification(world, _imported_completion(world, admin_user), by=admin_user)
    action = services.reopen_action(
        action=action, by=world.director, reason="Not sustained", expected_version=action.version
    )
    assert (action.verified_at, action.verification_imported_from) == (None, "")
