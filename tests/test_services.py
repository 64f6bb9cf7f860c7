"""The rules the services own: completion, verification, return, due-date revision, concurrency."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from recommendations import scope, services
from recommendations.models import ActionStatus, DueDateRevision, Evidence, ProgressUpdate
from recommendations.services import StaleEditError
from tests.versions import seen_version
from tests.web_world import PDF_BYTES, build_world

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world():
    return build_world()


def complete(world):
    return services.mark_complete(
        action=world.action, by=world.leader, narrative="All sessions held", expected_version=seen_version(world.action)
    )


def test_complete_needs_current_evidence(world):
    Evidence.objects.filter(action=world.action).update(
        withdrawn_at=timezone.now(), withdrawn_by=world.leader, withdrawal_reason="Wrong file"
    )
    with pytest.raises(ValidationError, match="Add at least one piece of evidence"):
        complete(world)
    world.action.refresh_from_db()
    assert world.action.status == ActionStatus.IN_PROGRESS


def test_complete_needs_a_closing_update(world):
    with pytest.raises(ValidationError, match="Enter a closing update"):
        services.mark_complete(
            action=world.action, by=world.leader, narrative="   ", expected_version=seen_version(world.action)
        )


def test_complete_records_the_closing_update_and_who(world):
    action = complete(world)
    assert action.status == ActionStatus.COMPLETED
    assert action.completed_by == world.leader
    assert action.completed_at == timezone.now()
    closing = ProgressUpdate.objects.get(action=action)
    assert closing.is_closing and closing.narrative == "All sessions held"


def test_only_a_director_of_the_region_or_the_national_team_verifies(world):
    action = complete(world)
    assert scope.can_verify(world.director, action)
    assert scope.can_verify(world.national_editor, action)
    for user in (world.leader, world.other_leader, world.viewer):
        assert not scope.can_verify(user, action)


def test_the_owner_cannot_verify_their_own_action(world):
    world.action.owner = world.director
    world.action.save()
    action = complete(world)
    assert not scope.can_verify(world.director, action)
    with pytest.raises(ValidationError, match="someone other than its owner"):
        services.verify_action(action=action, by=world.director, expected_version=seen_version(action))


def test_verify_stamps_who_and_when(world):
    action = complete(world)
    verified = services.verify_action(
        action=action, by=world.director, comment="Audit seen", expected_version=seen_version(action)
    )
    assert verified.status == ActionStatus.VERIFIED
    assert verified.verified_by == world.director
    assert verified.verified_at == timezone.now()
    assert ProgressUpdate.objects.filter(action=action, narrative="Audit seen").exists()


def test_only_a_completed_action_is_verified(world):
    with pytest.raises(ValidationError, match="Only a completed action can be verified"):
        services.verify_action(action=world.action, by=world.director, expected_version=seen_version(world.action))


def test_return_reopens_with_the_reason_in_the_timeline(world):
    action = complete(world)
    returned = services.return_action(
        action=action, by=world.director, reason="Add the case audit", expected_version=seen_version(action)
    )
    assert returned.status == ActionStatus.IN_PROGRESS
    assert returned.completed_at is None
    assert returned.return_reason == "Add the case audit"
    assert returned.returned_by == world.director
    latest = ProgressUpdate.objects.filter(action=action).first()
    assert latest.narrative == "Returned for more evidence: Add the case audit"


def test_return_needs_a_reason(world):
    action = complete(world)
    with pytest.raises(ValidationError, match="Enter what more is needed"):
        services.return_action(action=action, by=world.director, reason="", expected_version=seen_version(action))


def test_due_date_revision_needs_a_reason_and_keeps_the_original(world):
    with pytest.raises(ValidationError, match="Enter the reason"):
        services.revise_due_date(
            action=world.action, new_due_date=dt.date(2027, 3, 31), reason=" ", by=world.director, expected_version=1
        )
    action = services.revise_due_date(
        action=world.action,
        new_due_date=dt.date(2027, 3, 31),
        reason="Auditor on leave",
        by=world.director,
        expected_version=1,
    )
    assert action.due_date == dt.date(2027, 3, 31)
    assert action.original_due_date == dt.date(2026, 12, 31)
    revision = DueDateRevision.objects.get(action=action)
    assert (revision.previous_due_date, revision.reason) == (dt.date(2026, 12, 31), "Auditor on leave")


def test_stale_version_is_refused_and_the_newer_change_kept(world):
    services.log_progress(
        action=world.action, author=world.director, narrative="First", status="blocked", expected_version=1
    )
    with pytest.raises(StaleEditError):
        services.log_progress(
            action=world.action, author=world.leader, narrative="Late", status="in_progress", expected_version=1
        )
    world.action.refresh_from_db()
    assert world.action.status == ActionStatus.BLOCKED
    assert world.action.version == 2
    assert list(ProgressUpdate.objects.values_list("narrative", flat=True)) == ["First"]


def test_add_evidence_stores_the_file_under_a_name_of_its_own(world):
    uploaded = SimpleUploadedFile("../../Audit Q3.pdf", PDF_BYTES)
    evidence = services.add_evidence(
        action=world.action,
        added_by=world.leader,
        title="Audit",
        uploaded_file=uploaded,
        content_type="application/pdf",
    )
    assert evidence.size == len(PDF_BYTES)
    assert evidence.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert evidence.file.name.startswith("evidence/") and evidence.file.name.endswith(".pdf")
    assert "Audit" not in evidence.file.name


def test_evidence_is_a_file_or_a_link_not_both(world):
    with pytest.raises(ValidationError, match="not both"):
        services.add_evidence(
            action=world.action,
            added_by=world.leader,
            title="Both",
            uploaded_file=SimpleUploadedFile("a.pdf", PDF_BYTES),
            url="https://intranet.example/a",
        )
