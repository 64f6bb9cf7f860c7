"""The scale-data generator: the counts asked for, the same rows for a seed, and a consistent history."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Max, Q

from bench.generate_scale_data import GenerationRefused, generate_from_args, parse_args
from bench.scale_data import ScaleSpec, generate
from recommendations.models import (
    Action,
    ActionStatus,
    DueDateRevision,
    Evidence,
    Inspection,
    OrgUnit,
    PlanState,
    ProgressUpdate,
    Recommendation,
    ResponsePlan,
    Role,
    UnitKind,
    User,
)
from reminders.models import NotificationLog

TODAY = dt.date(2026, 3, 2)
SMALL = ScaleSpec(
    regions=2,
    pdus_per_region=2,
    actions=100,
    updates_per_action=3,
    inspections_per_pdu=2,
    recommendations_per_inspection=8,
    seed=7,
    today=TODAY,
)

pytestmark = pytest.mark.django_db


def _snapshot():
    """The generated rows by their natural keys, leaving out database ids."""
    actions = list(
        Action.objects.order_by("id").values_list(
            "unit__slug",
            "owner__username",
            "recommendation__inspection__published_on",
            "recommendation__number",
            "description",
            "start_date",
            "original_due_date",
            "due_date",
            "status",
            "self_rag",
            "created_at",
            "last_update_at",
            "completed_at",
            "verified_by__username",
        )
    )
    updates = list(
        ProgressUpdate.objects.order_by("id").values_list("action__description", "author__username", "created_at")
    )
    evidence = list(Evidence.objects.order_by("id").values_list("kind", "url", "file", "added_at", "withdrawn_at"))
    users = list(User.objects.order_by("id").values_list("username", "first_name", "last_name", "password"))
    return actions, updates, evidence, users


def test_creates_the_requested_counts():
    counts = generate(SMALL)

    assert OrgUnit.objects.filter(kind=UnitKind.NATIONAL).count() == 1
    assert OrgUnit.objects.filter(kind=UnitKind.REGION).count() == 2
    assert OrgUnit.objects.filter(kind=UnitKind.PDU).count() == 4
    assert Inspection.objects.count() == 4 * 2
    assert Recommendation.objects.count() == 4 * 2 * 8
    assert Action.objects.count() == 100
    assert ProgressUpdate.objects.count() == 300
    assert counts["actions"] == 100 and counts["progress updates"] == 300
    # Every PDU has a leader and every region a director.
    for pdu in OrgUnit.objects.filter(kind=UnitKind.PDU):
        assert pdu.members.filter(role=Role.PDU_LEADER, job_title="Head of PDU").count() == 1
    for region in OrgUnit.objects.filter(kind=UnitKind.REGION):
        assert region.members.filter(role=Role.REGIONAL_DIRECTOR, job_title="Regional Probation Director").count() == 1
    # Every inspection has its standards rated and key questions published.
    assert not Inspection.objects.annotate(n=Count("standard_ratings")).filter(n=0).exists()
    assert not Inspection.objects.annotate(n=Count("key_questions")).filter(n=0).exists()
    # The plans use a realistic mix of statuses, not a single one.
    assert Action.objects.values("status").distinct().count() >= 4


def test_every_generated_recommendation_is_addressed_to_the_body_named_first():
    # As Recommendation.save does: the dashboards count recommendations by their addressees.
    generate(SMALL)

    assert Recommendation.objects.count() == Recommendation.objects.filter(addressees=F("addressed_to")).count()


def test_same_seed_gives_the_same_rows_and_another_seed_does_not():
    snapshots = []
    for spec in (SMALL, SMALL, ScaleSpec(**{**SMALL.__dict__, "seed": 8})):
        with transaction.atomic():
            generate(spec)
            snapshots.append(_snapshot())
            transaction.set_rollback(True)

    assert snapshots[0] == snapshots[1]
    assert snapshots[0][0] != snapshots[2][0]


def test_history_is_consistent():
    generate(SMALL)

    # Owners belong to the unit that owns the action.
    assert not Action.objects.exclude(owner__unit=F("unit")).exists()
    # last_update_at is the time of the latest update, and empty when there is none.
    latest = Action.objects.annotate(latest=Max("updates__created_at"))
    for action in latest:
        assert action.last_update_at == action.latest
    # The last update's status is the action's status.
    for action in Action.objects.filter(last_update_at__isnull=False):
        assert action.updates.order_by("-created_at", "-id").first().status == action.status
    # Due dates are in order: start, original due date, then any revision later.
    assert not Action.objects.filter(original_due_date__lt=F("start_date")).exists()
    assert not Action.objects.filter(due_date__lt=F("original_due_date")).exists()
    for action in Action.objects.annotate(revisions=Count("due_date_revisions")).filter(revisions__gt=0):
        chain = list(action.due_date_revisions.order_by("revised_at"))
        assert chain[0].previous_due_date == action.original_due_date
        assert chain[-1].new_due_date == action.due_date
        assert all(r.new_due_date > r.previous_due_date for r in chain)
    assert DueDateRevision.objects.exists()
    # Completed work carries current evidence and a closing update; verification was
    # by someone other than the owner.
    closed = Action.objects.filter(status__in=[ActionStatus.COMPLETED, ActionStatus.VERIFIED])
    assert closed.exists()
    assert not closed.exclude(evidence__withdrawn_at__isnull=True).exists()
    assert not closed.exclude(updates__is_closing=True).exists()
    verified = Action.objects.filter(status=ActionStatus.VERIFIED)
    assert not verified.filter(verified_by=F("owner")).exists()
    # The reminders already sent are about open actions, in the past, grouped one email per person a day.
    sent = NotificationLog.objects.all()
    assert sent.exists()
    assert not sent.filter(for_date__gte=TODAY).exists()
    assert not sent.exclude(recipient=F("action__owner")).exists()
    assert not sent.filter(digest__isnull=True).exists()
    assert not sent.exclude(digest__for_date=F("for_date")).exists()
    # Nothing is dated after the base date.
    assert not ProgressUpdate.objects.filter(created_at__date__gt=TODAY).exists()
    assert not Evidence.objects.filter(Q(added_at__date__gt=TODAY) | Q(withdrawn_at__date__gt=TODAY)).exists()


# --flush empties tables with TRUNCATE, which PostgreSQL refuses inside the test's
# transaction while foreign-key checks are pending: this test runs outside one.
@pytest.mark.django_db(transaction=True)
def test_refuses_a_database_with_data_unless_told():
    generate(SMALL)
    options = ["--regions", "1", "--pdus-per-region", "1", "--actions", "5", "--today", TODAY.isoformat(), "--quiet"]

    with pytest.raises(GenerationRefused, match="already has data"):
        generate_from_args(parse_args(options))

    generate_from_args(parse_args([*options, "--flush"]))
    assert Action.objects.count() == 5
    assert OrgUnit.objects.filter(kind=UnitKind.PDU).count() == 1


def test_force_adds_to_a_database_holding_the_demo_data():
    call_command("load_demo", verbosity=0)
    demo_actions = Action.objects.count()
    demo_units = set(OrgUnit.objects.values_list("slug", flat=True))
    assert demo_actions and "hmpps" in demo_units

    generate_from_args(
        parse_args(["--regions", "2", "--pdus-per-region", "2", "--actions", "40", "--force", "--quiet"])
    )

    assert Action.objects.count() == demo_actions + 40
    # The demo's units and people are kept and used, not duplicated.
    assert OrgUnit.objects.filter(slug="hmpps").count() == 1
    assert demo_units < set(OrgUnit.objects.values_list("slug", flat=True))
    assert User.objects.filter(username="hmpps.viewer").count() == 1


def test_each_answering_unit_has_a_plan_and_some_new_plans_await_sign_off_so_their_actions_are_drafts():
    spec = ScaleSpec(**{**SMALL.__dict__, "regions": 4, "pdus_per_region": 4, "actions": 400})
    generate(spec)

    answering = set(Recommendation.objects.values_list("inspection_id", "addressed_to_id"))
    plans = ResponsePlan.objects.values_list("inspection_id", "unit_id", "state", "inspection__published_on")
    assert {(inspection, unit) for inspection, unit, _, _ in plans} == answering
    assert len(plans) == len(answering)
    # Only plans for inspections of the last 90 days may still be unsigned.
    for _, _, state, published in plans:
        if (spec.today - published).days >= 90:
            assert state == PlanState.APPROVED
    assert {state for *_, state, _ in plans} >= {PlanState.APPROVED, PlanState.DRAFT, PlanState.SUBMITTED}
    drafts = Action.objects.drafts().count()
    assert 0 < drafts < Action.objects.count() == Action.objects.live().count() + drafts
