"""Drafting a unit's response plan and signing it off: the rules, the pages and the reminders."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from recommendations import plan_sign_off, scope
from recommendations.models import Action, PlanEvent, PlanState, Response, ResponsePlan
from reminders import selectors as reminder_selectors
from tests.factories import InspectionFactory, RecommendationFactory
from tests.web_world import build_world

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world():
    w = build_world()
    # A new inspection of the PDU, with two recommendations to it and none answered yet.
    w.new_inspection = InspectionFactory(unit=w.pdu, title="An inspection of probation services: Derby City 2026")
    w.rec1 = RecommendationFactory(inspection=w.new_inspection, number=1, addressed_to=w.pdu)
    w.rec2 = RecommendationFactory(inspection=w.new_inspection, number=2, addressed_to=w.pdu)
    return w


def plan_url(w, name="response_plan", *extra):
    return reverse(f"recommendations:{name}", args=[w.new_inspection.pk, w.pdu.slug, *extra])


def _draft_whole_plan(w):
    for rec in (w.rec1, w.rec2):
        plan_sign_off.draft_response(
            recommendation=rec, unit=w.pdu, response=Response.AGREED, rationale="", by=w.leader
        )
        plan_sign_off.draft_action(
            recommendation=rec,
            unit=w.pdu,
            by=w.leader,
            description=f"Answer {rec.label}",
            owner=w.leader,
            due_date=dt.date(2026, 12, 31),
            success_measure="Audit shows 80%",
        )


def _plan(w):
    return ResponsePlan.objects.get(inspection=w.new_inspection, unit=w.pdu)


def test_a_leader_drafts_actions_that_stay_drafts_until_the_director_approves(world):
    _draft_whole_plan(world)
    drafts = Action.objects.filter(recommendation__inspection=world.new_inspection)
    assert drafts.count() == 2
    assert set(Action.objects.drafts()) == set(drafts)
    assert not Action.objects.live().filter(pk__in=drafts).exists()
    plan = plan_sign_off.submit_plan(inspection=world.new_inspection, unit=world.pdu, by=world.leader)
    assert plan.state == PlanState.SUBMITTED
    plan = plan_sign_off.approve_plan(plan=plan, by=world.director)
    assert plan.state == PlanState.APPROVED and plan.approved_at is not None and plan.approved_by == world.director
    assert set(Action.objects.live().filter(recommendation__inspection=world.new_inspection)) == set(drafts)
    assert list(plan.events.order_by("at", "id").values_list("kind", flat=True)) == ["submitted", "approved"]


def test_actions_without_a_plan_row_count_as_approved(world):
    assert Action.objects.live().filter(pk=world.action.pk).exists()


def test_a_plan_cannot_be_submitted_until_every_recommendation_is_answered(world):
    plan_sign_off.draft_response(
        recommendation=world.rec1, unit=world.pdu, response=Response.AGREED, rationale="", by=world.leader
    )
    plan_sign_off.draft_response(
        recommendation=world.rec2,
        unit=world.pdu,
        response=Response.NOT_AGREED,
        rationale="Not ours to do",
        by=world.leader,
    )
    with pytest.raises(ValidationError) as refused:
        plan_sign_off.submit_plan(inspection=world.new_inspection, unit=world.pdu, by=world.leader)
    assert "Recommendation 1: add at least one action" in str(refused.value)
    assert "Recommendation 2" not in str(refused.value)  # not agreed: no actions needed


def test_a_returned_plan_keeps_the_comment_and_can_be_amended_and_resubmitted(world):
    _draft_whole_plan(world)
    plan = plan_sign_off.submit_plan(inspection=world.new_inspection, unit=world.pdu, by=world.leader)
    with pytest.raises(ValidationError):
        plan_sign_off.return_plan(plan=plan, by=world.director, comment="  ")
    plan = plan_sign_off.return_plan(plan=plan, by=world.director, comment="Make action 1 measurable")
    assert plan.state == PlanState.RETURNED
    assert scope.can_draft_plan(world.leader, plan)
    action = Action.objects.filter(recommendation=world.rec1).get()
    plan_sign_off.edit_draft_action(
        action=action,
        by=world.leader,
        expected_version=action.version,
        description="Audit 60 cases a quarter",
        owner=world.leader,
        success_measure="80% of audited cases assess risk well",
        start_date=None,
        due_date=dt.date(2027, 1, 31),
    )
    action.refresh_from_db()
    # Before approval no date has been promised: the draft's original due date moves with it.
    assert action.due_date == action.original_due_date == dt.date(2027, 1, 31)
    assert not action.due_date_revisions.exists()
    plan = plan_sign_off.submit_plan(inspection=world.new_inspection, unit=world.pdu, by=world.leader)
    assert plan.state == PlanState.SUBMITTED
    assert PlanEvent.objects.filter(plan=plan, kind="returned", comment="Make action 1 measurable").exists()


def test_nothing_in_a_submitted_or_approved_plan_can_be_changed_as_a_draft(world):
    _draft_whole_plan(world)
    plan = plan_sign_off.submit_plan(inspection=world.new_inspection, unit=world.pdu, by=world.leader)
    with pytest.raises(ValidationError):
        plan_sign_off.draft_response(
            recommendation=world.rec1, unit=world.pdu, response=Response.NOT_AGREED, rationale="x", by=world.leader
        )
    plan_sign_off.approve_plan(plan=plan, by=world.director)
    with pytest.raises(ValidationError):
        plan_sign_off.draft_action(
            recommendation=world.rec1,
            unit=world.pdu,
            by=world.leader,
            description="Late addition",
            owner=world.leader,
            due_date=dt.date(2026, 12, 31),
            success_measure="",
        )
    with pytest.raises(ValidationError):
        plan_sign_off.approve_plan(plan=_plan(world), by=world.director)


def test_a_draft_action_owner_must_belong_to_the_unit(world):
    with pytest.raises(ValidationError) as refused:
        plan_sign_off.draft_action(
            recommendation=world.rec1,
            unit=world.pdu,
            by=world.leader,
            description="Audit",
            owner=world.other_leader,
            due_date=dt.date(2026, 12, 31),
            success_measure="",
        )
    assert "Choose an owner from Derby City" in str(refused.value)


def test_who_drafts_and_who_signs_off(world):
    _draft_whole_plan(world)
    plan = _plan(world)
    assert scope.can_draft_plan(world.leader, plan)
    assert not scope.can_draft_plan(world.other_leader, plan)
    assert not scope.can_draft_plan(world.director, plan)
    plan_sign_off.submit_plan(inspection=world.new_inspection, unit=world.pdu, by=world.leader)
    plan.refresh_from_db()
    assert scope.can_sign_off_plan(world.director, plan)
    assert not scope.can_sign_off_plan(world.leader, plan)
    assert not scope.can_sign_off_plan(world.viewer, plan)
    assert list(scope.plans_awaiting_sign_off_by(world.director)) == [plan]
    assert not scope.plans_awaiting_sign_off_by(world.leader).exists()
    # HMPPS drafts and approves its own plan.
    national = ResponsePlan.objects.create(inspection=world.inspection, unit=world.hmpps)
    assert scope.can_draft_plan(world.national_editor, national)
    assert not scope.can_draft_plan(world.viewer, national)
    national.state = PlanState.SUBMITTED
    assert scope.can_sign_off_plan(world.national_editor, national)
    assert not scope.can_sign_off_plan(world.director, national)


def test_the_reminder_sweep_skips_actions_in_a_plan_awaiting_sign_off(world):
    _draft_whole_plan(world)
    overdue_day = dt.date(2027, 1, 1)  # the day after the drafts are due: the first overdue reminder
    assert not any(r.action_id in _draft_ids(world) for r in reminder_selectors.reminders_due(day=overdue_day))
    plan = plan_sign_off.submit_plan(inspection=world.new_inspection, unit=world.pdu, by=world.leader)
    plan_sign_off.approve_plan(plan=plan, by=world.director)
    assert any(r.action_id in _draft_ids(world) for r in reminder_selectors.reminders_due(day=overdue_day))


def _draft_ids(world):
    return set(Action.objects.filter(recommendation__inspection=world.new_inspection).values_list("pk", flat=True))


# The pages


def test_the_leader_drafts_submits_and_the_director_returns_then_approves_through_the_pages(client, world):
    client.force_login(world.leader)
    page = client.get(plan_url(world)).content.decode()
    assert "Not started" in page and "Not yet approved" in page
    for rec in (world.rec1, world.rec2):
        response = client.post(
            plan_url(world, "response_plan_response", rec.pk), {"response": "agreed", "rationale": ""}
        )
        assert response.status_code == 302
        response = client.post(
            plan_url(world, "response_plan_action_create", rec.pk),
            {
                "description": "Audit 40 cases",
                "owner": world.leader.pk,
                "success_measure": "80% assess risk well",
                "due_date_day": "31",
                "due_date_month": "12",
                "due_date_year": "2026",
            },
        )
        assert response.status_code == 302, response.content.decode()
    response = client.post(plan_url(world, "response_plan_submit"), {"version": str(_plan(world).version)})
    assert response.status_code == 302
    assert "Submitted for sign-off" in client.get(plan_url(world)).content.decode()
    assert client.get(plan_url(world, "response_plan_sign_off")).status_code == 403

    client.force_login(world.director)
    home = client.get(reverse("recommendations:home")).content.decode()
    assert "Waiting for your sign-off" in home
    form = plan_url(world, "response_plan_sign_off")
    refused = client.post(form, {"version": str(_plan(world).version), "decision": "return", "comment": ""})
    assert "Enter what must change before the plan can be approved" in refused.content.decode()
    client.post(form, {"version": str(_plan(world).version), "decision": "return", "comment": "Say how many cases"})
    assert _plan(world).state == PlanState.RETURNED

    client.force_login(world.leader)
    page = client.get(plan_url(world)).content.decode()
    assert "Returned with comments" in page and "Say how many cases" in page
    client.post(plan_url(world, "response_plan_submit"), {"version": str(_plan(world).version)})

    client.force_login(world.director)
    client.post(form, {"version": str(_plan(world).version), "decision": "approve", "comment": ""})
    plan = _plan(world)
    assert plan.state == PlanState.APPROVED
    page = client.get(plan_url(world)).content.decode()
    assert "15 June 2026" in page and "Approved" in page


def test_a_leader_cannot_change_another_units_plan_or_an_approved_one(client, world):
    client.force_login(world.other_leader)
    assert client.get(plan_url(world)).status_code == 404
    client.force_login(world.leader)
    approved = ResponsePlan.objects.create(
        inspection=world.new_inspection, unit=world.pdu, state=PlanState.APPROVED, approved_at=NOW
    )
    assert approved.pk
    assert client.get(plan_url(world, "response_plan_response", world.rec1.pk)).status_code == 403


def test_a_draft_actions_page_says_it_is_a_draft_and_links_to_its_plan(client, world):
    _draft_whole_plan(world)
    action = Action.objects.filter(recommendation=world.rec1).get()
    client.force_login(world.leader)
    html = client.get(reverse("recommendations:action_detail", args=[action.pk])).content.decode()
    assert "Draft action." in html and plan_url(world) in html
    assert (
        "Draft action."
        not in client.get(reverse("recommendations:action_detail", args=[world.action.pk])).content.decode()
    )


@pytest.fixture
def joint(world):
    """A third recommendation of the new inspection, made jointly to Derby City and Derbyshire."""
    world.joint = RecommendationFactory(inspection=world.new_inspection, number=3, addressed_to=world.pdu)
    world.joint.addressees.add(world.other_pdu)
    return world


def _draft_joint_in(w, unit, leader):
    plan_sign_off.draft_response(recommendation=w.joint, unit=unit, response=Response.AGREED, rationale="", by=leader)
    return plan_sign_off.draft_action(
        recommendation=w.joint,
        unit=unit,
        by=leader,
        description=f"{unit.display_name} answers the joint recommendation",
        owner=leader,
        due_date=dt.date(2026, 12, 31),
        success_measure="Audit shows 80%",
    )


def test_the_second_addressee_of_a_joint_recommendation_drafts_it_in_its_own_plan(joint):
    action = _draft_joint_in(joint, joint.other_pdu, joint.other_leader)
    assert action.unit == joint.other_pdu
    assert action.draft_plan == ResponsePlan.objects.get(inspection=joint.new_inspection, unit=joint.other_pdu)
    assert not ResponsePlan.objects.filter(inspection=joint.new_inspection, unit=joint.pdu).exists()


def test_the_second_addressee_submits_and_has_its_plan_approved_on_its_own(joint):
    _draft_joint_in(joint, joint.other_pdu, joint.other_leader)
    plan = plan_sign_off.submit_plan(inspection=joint.new_inspection, unit=joint.other_pdu, by=joint.other_leader)
    plan = plan_sign_off.approve_plan(plan=plan, by=joint.director)
    assert plan.state == PlanState.APPROVED
    assert Action.objects.live().filter(recommendation=joint.joint, unit=joint.other_pdu).exists()


def test_a_unit_cannot_draft_a_recommendation_not_addressed_to_it(world):
    with pytest.raises(ValidationError) as refused:
        plan_sign_off.draft_response(
            recommendation=world.rec1, unit=world.other_pdu, response=Response.AGREED, rationale="", by=world.leader
        )
    assert "Recommendation 1 is not addressed to Derbyshire" in str(refused.value)
    assert not ResponsePlan.objects.filter(unit=world.other_pdu).exists()


def test_a_joint_recommendations_page_links_to_each_addressees_plan(client, joint):
    _draft_joint_in(joint, joint.other_pdu, joint.other_leader)
    client.force_login(joint.director)
    html = client.get(reverse("recommendations:recommendation_detail", args=[joint.joint.pk])).content.decode()
    assert "Response plan of Derby City:" in html and "Response plan of Derbyshire:" in html
    assert reverse("recommendations:response_plan", args=[joint.new_inspection.pk, joint.pdu.slug]) in html
    assert reverse("recommendations:response_plan", args=[joint.new_inspection.pk, joint.other_pdu.slug]) in html


def test_a_joint_response_signed_off_in_one_plan_is_not_changed_from_another(joint):
    _draft_joint_in(joint, joint.pdu, joint.leader)
    for rec in (joint.rec1, joint.rec2):
        plan_sign_off.draft_response(
            recommendation=rec, unit=joint.pdu, response=Response.NOT_AGREED, rationale="Not ours", by=joint.leader
        )
    plan_sign_off.submit_plan(inspection=joint.new_inspection, unit=joint.pdu, by=joint.leader)

    with pytest.raises(ValidationError) as refused:
        plan_sign_off.draft_response(
            recommendation=joint.joint,
            unit=joint.other_pdu,
            response=Response.NOT_AGREED,
            rationale="Not for us",
            by=joint.other_leader,
        )
    assert "Recommendation 3 is made jointly" in str(refused.value) and "Derby City's plan" in str(refused.value)
    joint.joint.refresh_from_db()
    assert joint.joint.response == Response.AGREED
    # The same response is kept, and Derbyshire goes on to add its own actions.
    _draft_joint_in(joint, joint.other_pdu, joint.other_leader)


def test_a_joint_response_can_change_while_every_plan_holding_it_is_a_draft(joint):
    _draft_joint_in(joint, joint.pdu, joint.leader)
    plan_sign_off.draft_response(
        recommendation=joint.joint,
        unit=joint.other_pdu,
        response=Response.PARTLY_AGREED,
        rationale="Only the PDU's part",
        by=joint.other_leader,
    )
    joint.joint.refresh_from_db()
    assert joint.joint.response == Response.PARTLY_AGREED


def test_the_response_form_says_why_a_signed_off_joint_response_cannot_change(client, joint):
    _draft_joint_in(joint, joint.pdu, joint.leader)
    ResponsePlan.objects.filter(inspection=joint.new_inspection, unit=joint.pdu).update(
        state=PlanState.APPROVED, approved_at=NOW
    )
    client.force_login(joint.other_leader)
    form = reverse(
        "recommendations:response_plan_response", args=[joint.new_inspection.pk, joint.other_pdu.slug, joint.joint.pk]
    )
    html = client.post(form, {"response": Response.NOT_AGREED, "rationale": "Not for us"}).content.decode()
    assert "There is a problem" in html
    assert "Recommendation 3 is made jointly, and its response is in Derby City&#x27;s plan, which is approved" in html
