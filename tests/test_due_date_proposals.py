"""Once a plan is approved, its PDU leader proposes a new due date and the regional director decides."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from recommendations import due_date_proposals, scope
from recommendations.models import DueDateProposal, ProposalState
from tests.web_world import build_world

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world():
    return build_world()


def test_an_approved_proposal_becomes_a_revision_with_its_reason(world):
    action = world.action
    original = action.due_date
    new = original + dt.timedelta(days=60)
    proposal = due_date_proposals.propose_due_date(action=action, by=world.leader, new_due_date=new, reason="Staff")
    action.refresh_from_db()
    assert action.due_date == original  # nothing moves until the director decides
    due_date_proposals.decide_due_date_proposal(proposal=proposal, by=world.director, approve=True)
    action.refresh_from_db()
    assert action.due_date == new and action.original_due_date == original
    revision = action.due_date_revisions.get()
    assert revision.revised_by == world.director
    assert revision.reason == f"Staff (proposed by {world.leader})"
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPROVED and proposal.decided_by == world.director


def test_a_rejection_needs_a_reason_and_keeps_the_date(world):
    action = world.action
    proposal = due_date_proposals.propose_due_date(
        action=action, by=world.leader, new_due_date=action.due_date + dt.timedelta(days=7), reason="Leave"
    )
    with pytest.raises(ValidationError):
        due_date_proposals.decide_due_date_proposal(proposal=proposal, by=world.director, approve=False)
    due_date_proposals.decide_due_date_proposal(
        proposal=proposal, by=world.director, approve=False, comment="The inspection is in March"
    )
    action.refresh_from_db()
    assert not action.due_date_revisions.exists()
    assert DueDateProposal.objects.get().state == ProposalState.REJECTED


def test_one_proposal_at_a_time_and_never_without_a_reason(world):
    action = world.action
    later = action.due_date + dt.timedelta(days=7)
    with pytest.raises(ValidationError):
        due_date_proposals.propose_due_date(action=action, by=world.leader, new_due_date=later, reason=" ")
    due_date_proposals.propose_due_date(action=action, by=world.leader, new_due_date=later, reason="Leave")
    with pytest.raises(ValidationError):
        due_date_proposals.propose_due_date(action=action, by=world.leader, new_due_date=later, reason="Again")


def test_the_leader_proposes_and_the_director_decides(world):
    assert scope.can_propose_due_date(world.leader, world.action)
    assert not scope.can_propose_due_date(world.director, world.action)  # changes it directly
    assert not scope.can_propose_due_date(world.other_leader, world.action)
    assert scope.can_decide_due_date(world.director, world.action)
    assert not scope.can_decide_due_date(world.leader, world.action)


def test_through_the_pages(client, world):
    action = world.action
    client.force_login(world.leader)
    page = reverse("recommendations:action_detail", args=[action.pk])
    assert reverse("recommendations:action_propose_due_date", args=[action.pk]) in client.get(page).content.decode()
    new = action.due_date + dt.timedelta(days=45)
    response = client.post(
        reverse("recommendations:action_propose_due_date", args=[action.pk]),
        {
            "version": str(action.version),
            "new_due_date_day": str(new.day),
            "new_due_date_month": str(new.month),
            "new_due_date_year": str(new.year),
            "reason": "The auditor is on leave",
        },
    )
    assert response.status_code == 302
    assert "Waiting for the regional director" in client.get(page).content.decode()

    client.force_login(world.director)
    proposal = DueDateProposal.objects.get()
    decide = reverse("recommendations:due_date_proposal_decide", args=[proposal.pk])
    assert decide in client.get(reverse("recommendations:home")).content.decode()
    assert "The auditor is on leave" in client.get(decide).content.decode()
    client.post(decide, {"decision": "approve", "comment": ""})
    action.refresh_from_db()
    assert action.due_date == new
    assert client.get(decide).status_code == 404  # decided: no longer pending
