"""The demo fixture (fixtures/demo.json), loaded on top of the published data."""

import os
from collections import Counter
from datetime import date

from django.core.management import call_command

from recommendations.models import Action, Comment, Recommendation, User
from recommendations.selectors.challenges import open_challenges_for
from tests.conftest import FIXTURES_DIR

DEMO_USERS = {
    "derbycity.lead": ("pdu_leader", "derby-city"),
    "derbyshire.lead": ("pdu_leader", "derbyshire"),
    "llr.lead": ("pdu_leader", "leicester-leicestershire-rutland"),
    "eastmidlands.director": ("regional_director", "east-midlands"),
    "hmpps.viewer": ("national_viewer", "hmpps"),
    "admin": ("administrator", "east-midlands"),
}


def test_demo_users(demo):
    for username, (role, unit) in DEMO_USERS.items():
        user = User.objects.get(username=username)
        assert user.role == role, username
        assert user.unit.slug == unit, username
        assert user.check_password("demo-tracker-2026"), username
        assert user.email.endswith("@justice.example")
        assert user.first_name and user.last_name
    assert User.objects.get(username="derbycity.lead").job_title == "Head of PDU"
    assert User.objects.get(username="eastmidlands.director").job_title == "Regional Probation Director"
    assert User.objects.get(username="hmpps.viewer").can_edit_national_actions
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser


def test_demo_does_not_touch_published_data(demo):
    published = {r.pk: (r.text, r.number, r.addressed_to_id) for r in Recommendation.objects.all()}
    call_command("loaddata", os.path.join(FIXTURES_DIR, "inspections.json"), verbosity=0)
    assert {r.pk: (r.text, r.number, r.addressed_to_id) for r in Recommendation.objects.all()} == published
    assert Recommendation.objects.count() == 39
    assert Action.objects.exclude(pk__gte=1000).count() == 0


def test_demo_responds_to_every_recommendation_that_has_actions(demo):
    with_actions = Recommendation.objects.filter(actions__isnull=False).distinct()
    assert with_actions.count() == 29
    for recommendation in with_actions:
        assert recommendation.response in ("agreed", "partly_agreed", "not_agreed"), recommendation
        assert recommendation.response_recorded_by is not None
        if recommendation.response != "agreed":
            assert recommendation.response_rationale, recommendation
    assert not Recommendation.objects.filter(actions__isnull=True).exclude(response="").exists()


def test_demo_actions(demo):
    actions = list(Action.objects.select_related("recommendation__inspection", "owner", "unit"))
    assert 25 <= len(actions) <= 35
    statuses = Counter(a.status for a in actions)
    assert statuses["cancelled"] == 1
    for status in ("not_started", "in_progress", "blocked", "completed", "verified"):
        assert statuses[status] >= 1, status
    for action in actions:
        unit = action.recommendation.addressed_to
        expected_unit = unit.successor if unit.is_legacy else unit
        assert action.unit == expected_unit, action
        assert action.owner.unit == action.unit, action
        assert action.version == 1
        assert action.original_due_date >= action.start_date
        updates = list(action.updates.all())
        latest = max((u.created_at for u in updates), default=None)
        assert action.last_update_at == latest, action
        revisions = list(action.due_date_revisions.all())
        if action.due_date != action.original_due_date:
            assert revisions and revisions[-1].new_due_date == action.due_date, action
            assert revisions[0].previous_due_date == action.original_due_date, action


def test_demo_completed_and_verified_actions_have_evidence_and_closing_update(demo):
    closed = Action.objects.filter(status__in=["completed", "verified"])
    assert closed.filter(status="completed").count() >= 2
    assert closed.filter(status="verified").count() >= 2
    for action in closed:
        assert action.completed_at and action.completed_by, action
        assert action.evidence.current().exists(), action
        updates = list(action.updates.all())  # newest first
        closing = [u for u in updates if u.is_closing]
        assert closing and closing[0].created_at == action.completed_at, action
        assert closing[0].author == action.completed_by == action.owner, action
        if action.status == "completed":
            assert updates[0].is_closing, action  # nothing logged after the closing update
        else:
            # As verify_action does: the director's verification is logged after the closing update.
            assert action.verified_by.username == "eastmidlands.director"
            assert action.verified_by != action.owner
            assert action.verified_at > action.completed_at
            assert (updates[0].status, updates[0].author, updates[0].created_at) == (
                "verified",
                action.verified_by,
                action.verified_at,
            )
            assert updates[1].is_closing, action


def test_demo_returned_action(demo):
    returned = Action.objects.exclude(returned_at=None)
    assert returned.count() == 1
    action = returned.get()
    assert action.status == "in_progress" and action.return_reason
    assert action.returned_by.username == "eastmidlands.director"


def test_demo_mix_relative_to_today(demo):
    today = date(2026, 11, 23)
    overdue = Action.objects.overdue(today=today)
    assert overdue.count() >= 4
    # Deliberately optimistic self-ratings: green although overdue.
    assert overdue.filter(self_rag="green").count() >= 2
    due_soon = Action.objects.open().filter(due_date__gte=today, due_date__lte=date(2026, 12, 23))
    assert due_soon.count() >= 3


def test_demo_measures_of_impact(demo):
    from reporting.models import Measure

    measures = list(Measure.objects.select_related("unit", "key_question__inspection").prefetch_related("readings"))
    assert len(measures) == 3
    for measure in measures:
        # The fixture holds what Measure.save() would copy from the published key question.
        if measure.key_question is not None:
            assert measure.baseline == measure.key_question.percentage, measure
            assert measure.baseline_date == measure.key_question.inspection.published_on, measure
            assert measure.baseline_source == str(measure.key_question.inspection), measure
            assert measure.key_question.inspection.unit == measure.unit, measure
        assert measure.baseline is not None and measure.target > measure.baseline, measure
        for recommendation in measure.recommendations.all():
            assert recommendation.actions.filter(unit=measure.unit).exists(), (measure, recommendation)
        readings = list(measure.readings.all())
        assert len(readings) >= 3, measure
        for reading in readings:
            assert measure.baseline_date < reading.taken_on <= date(2026, 11, 23), reading
            assert reading.recorded_by.unit in (measure.unit, measure.unit.parent), reading
    # The readings are the audit figures the owners report in their progress updates.
    derby_city = next(m for m in measures if m.unit.slug == "derby-city")
    reported = " ".join(derby_city.recommendations.get().actions.values_list("updates__narrative", flat=True))
    for reading in derby_city.readings.all():
        assert f"{reading.value:.0f}%" in reported, reading


def test_demo_has_a_challenge_answered_and_one_waiting_for_the_owner(demo):
    lead = User.objects.get(username="derbycity.lead")
    waiting = list(open_challenges_for(lead))
    assert [challenge.author.username for challenge in waiting] == ["eastmidlands.director"]
    answered = Comment.objects.challenges().exclude(pk=waiting[0].pk).get()
    assert answered.replies.get().author == lead
