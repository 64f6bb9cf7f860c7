"""The dashboards' cached figures are never stale: every write that changes them raises its inspection's version.

Each inspection's part of the figures is cached under its figures version, which triggers
raise in the same transaction as the write (recommendations.models.figures). Here: every
table the parts are read from has those triggers; each kind of write that changes the
figures is followed by dashboards, served from the cache where nothing changed, equal to
dashboards worked out afresh, with only the written inspection worked out again; the
queries do not grow with the inspections, cached or not; and with Redis down the
dashboards still answer.
"""

import datetime as dt
import os
import re
import uuid
from types import SimpleNamespace

import pytest
import redis
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import plan_sign_off, services
from recommendations.models import Action, ActionStatus, Evidence, OrgUnit, PlanState, ResponsePlan, UnitKind
from recommendations.models.figures import WRITES, FiguresVersion, install_triggers
from recommendations.selectors import dashboard_parts
from recommendations.selectors.dashboards import national_dashboard, regional_dashboard
from tests.conftest import skip_or_fail
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    LinkEvidenceFactory,
    NationalViewerFactory,
    OrgUnitFactory,
    RecommendationFactory,
)
from tests.plan_data import TODAY, build_organisation, bulk_plan

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan():
    org = build_organisation()
    derby, _, _ = bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=14)
    shire, _, _ = bulk_plan(unit=org.derbyshire, owner=org.derbyshire_lead, verifier=org.director, actions=7)
    cardiff, _, _ = bulk_plan(unit=org.cardiff, owner=org.wales_director, verifier=org.viewer, actions=7)
    # Due within the amber window with no evidence, lately updated: amber until evidence comes.
    due_soon = ActionFactory(
        recommendation=derby.recommendations.order_by("number").first(),
        unit=org.derby_city,
        owner=org.derby_lead,
        original_due_date=TODAY + dt.timedelta(days=5),
        last_update_at=NOW,
    )
    # HMPPS's action on Derby City's inspection: counted in East Midlands's figures.
    editor = NationalViewerFactory(unit=org.hmpps, can_edit_national_actions=True)
    national = RecommendationFactory(inspection=derby, number=9, addressed_to=org.hmpps)
    hmpps_action = ActionFactory(recommendation=national, unit=org.hmpps, owner=editor)
    return SimpleNamespace(org=org, derby=derby, shire=shire, cardiff=cardiff, due_soon=due_soon, hmpps=hmpps_action)


def dashboards(org) -> dict:
    return {
        "East Midlands, its director": regional_dashboard(user=org.director, region=org.east_midlands, today=TODAY),
        "East Midlands, a PDU leader": regional_dashboard(user=org.derby_lead, region=org.east_midlands, today=TODAY),
        "Wales": regional_dashboard(user=org.wales_director, region=org.wales, today=TODAY),
        "national": national_dashboard(user=org.viewer, today=TODAY),
    }


@pytest.fixture
def worked_out(monkeypatch):
    """The inspections whose parts are worked out from the database (not found in the cache)."""
    seen = []
    work_out = dashboard_parts.work_out_parts

    def spy(inspection_pks, *, today):
        seen.extend(inspection_pks)
        return work_out(inspection_pks, today=today)

    monkeypatch.setattr(dashboard_parts, "work_out_parts", spy)
    return seen


def _open(unit, **filters):
    return Action.objects.filter(unit=unit, status=ActionStatus.IN_PROGRESS, **filters).order_by("pk").first()


def _with_evidence(unit):
    return _open(unit, evidence__isnull=False)


def progress_update(p):
    action = _open(p.org.derby_city)
    services.log_progress(
        action=action, author=p.org.derby_lead, narrative="Stalled", status=ActionStatus.BLOCKED, expected_version=1
    )
    return [p.derby]


def completion(p):
    action = _with_evidence(p.org.derby_city)
    services.mark_complete(action=action, by=p.org.derby_lead, narrative="Done", expected_version=action.version)
    return [p.derby]


def verification(p):
    action = Action.objects.filter(unit=p.org.derbyshire, status=ActionStatus.COMPLETED).order_by("pk").first()
    services.verify_action(action=action, by=p.org.director, expected_version=action.version)
    return [p.shire]


def _evidence_of_completed_actions(p):
    for action in Action.objects.filter(status=ActionStatus.COMPLETED):
        LinkEvidenceFactory(action=action, added_by=p.org.director)


def cancellation(p):
    action = _open(p.org.cardiff)
    services.cancel_action(action=action, by=p.org.wales_director, reason="Overtaken", expected_version=action.version)
    return [p.cardiff]


def evidence_added(p):
    services.add_evidence(action=p.due_soon, added_by=p.org.derby_lead, title="Audit", url="https://example.org/a")
    return [p.derby]


def evidence_withdrawn(p):
    services.withdraw_evidence(
        evidence=p.due_soon.evidence.get(), by=p.org.director, reason="Wrong", expected_version=1
    )
    return [p.derby]


def evidence_withdrawn_in_the_admin(p):
    # The evidence row alone: nothing else is saved beside it.
    Evidence.objects.filter(action=p.due_soon).update(
        withdrawn_at=NOW, withdrawal_reason="Wrong", withdrawn_by=p.org.director
    )
    return [p.derby]


def _with_evidence_due_soon(p):
    services.add_evidence(action=p.due_soon, added_by=p.org.derby_lead, title="Audit", url="https://example.org/a")


def due_date_revised(p):
    action = _open(p.org.derbyshire, due_date__lt=TODAY)  # overdue until its new date
    new_due_date = TODAY + dt.timedelta(days=100)
    services.revise_due_date(
        action=action, new_due_date=new_due_date, reason="Agreed", by=p.org.director, expected_version=1
    )
    return [p.shire]


def plan_submitted_for_sign_off(p):
    # A plan row for a unit whose actions were live: they become drafts until it is approved.
    ResponsePlan.objects.create(inspection=p.derby, unit=p.org.derby_city, state=PlanState.SUBMITTED, submitted_at=NOW)
    return [p.derby]


def _submitted_plan(p):
    ResponsePlan.objects.create(inspection=p.shire, unit=p.org.derbyshire, state=PlanState.SUBMITTED, submitted_at=NOW)


def plan_approved(p):
    plan_sign_off.approve_plan(plan=ResponsePlan.objects.get(inspection=p.shire), by=p.org.director)
    return [p.shire]


def action_created(p):
    services.create_action(
        recommendation=p.cardiff.recommendations.order_by("number").last(),
        description="A new action",
        owner=p.org.wales_director,
        unit=p.org.cardiff,
        due_date=TODAY + dt.timedelta(days=60),
        created_by=p.org.wales_director,
    )
    return [p.cardiff]


def actions_bulk_created(p):
    template = _open(p.org.derby_city)
    Action.objects.bulk_create(
        Action(
            recommendation=template.recommendation,
            unit=p.org.derby_city,
            description=f"Bulk {n}",
            original_due_date=TODAY,
            due_date=TODAY,
        )
        for n in range(3)
    )
    return [p.derby]


def action_deleted(p):
    action = Action.objects.filter(unit=p.org.derbyshire).order_by("pk").first()
    action.updates.all().delete()
    action.delete()
    return [p.shire]


def actions_updated_together(p):
    Action.objects.filter(unit=p.org.cardiff).update(status=ActionStatus.CANCELLED)
    return [p.cardiff]


def action_moved_to_another_unit(p):
    Action.objects.filter(pk=_open(p.org.derby_city).pk).update(unit=p.org.derbyshire)
    return [p.derby]


def action_moved_to_another_inspection(p):
    action = _open(p.org.derby_city)
    action.recommendation = p.shire.recommendations.order_by("number").first()
    action.save()
    return [p.derby, p.shire]


def addressee_added(p):
    p.derby.recommendations.order_by("number").first().addressees.add(p.org.derbyshire)
    return [p.derby]


def _joint_recommendation(p):
    p.hmpps.recommendation.addressees.add(p.org.derbyshire)


def addressee_removed(p):
    p.hmpps.recommendation.addressees.remove(p.org.derbyshire)
    return [p.derby]


def pdu_moved_to_another_region(p):
    OrgUnit.objects.filter(pk=p.org.derbyshire.pk).update(parent=p.org.wales)
    return []


def _dissolved_body(p):
    crc = OrgUnitFactory(slug="a-crc", kind=UnitKind.CRC, is_legacy=True, successor=p.org.derby_city)
    recommendation = RecommendationFactory(inspection=p.cardiff, number=20, addressed_to=crc)
    ActionFactory(recommendation=recommendation, unit=crc, owner=p.org.wales_director)


def dissolved_bodys_successor_changed(p):
    crc = OrgUnit.objects.get(slug="a-crc")
    crc.successor = p.org.cardiff
    crc.save()
    return []


def inspection_of_another_unit(p):
    # HMPPS's action on the inspection follows it: from East Midlands's figures to Wales's.
    p.derby.unit = p.org.cardiff
    p.derby.save()
    return []


WRITES_THAT_CHANGE_FIGURES = [
    progress_update,
    completion,
    verification,
    cancellation,
    evidence_added,
    evidence_withdrawn,
    evidence_withdrawn_in_the_admin,
    due_date_revised,
    plan_submitted_for_sign_off,
    plan_approved,
    action_created,
    actions_bulk_created,
    action_deleted,
    actions_updated_together,
    action_moved_to_another_unit,
    action_moved_to_another_inspection,
    addressee_added,
    addressee_removed,
    pdu_moved_to_another_region,
    dissolved_bodys_successor_changed,
    inspection_of_another_unit,
]


# What some writes need first (not the write under test).
ARRANGED_BY = {
    evidence_withdrawn: _with_evidence_due_soon,
    evidence_withdrawn_in_the_admin: _with_evidence_due_soon,
    plan_approved: _submitted_plan,
    verification: _evidence_of_completed_actions,
    addressee_removed: _joint_recommendation,
    dissolved_bodys_successor_changed: _dissolved_body,
}


@pytest.mark.parametrize("write", WRITES_THAT_CHANGE_FIGURES, ids=lambda write: write.__name__)
def test_dashboards_after_a_write_equal_dashboards_worked_out_afresh(plan, worked_out, write):
    if write in ARRANGED_BY:
        ARRANGED_BY[write](plan)
    caches["figures"].clear()
    before = dashboards(plan.org)

    worked_out.clear()
    written = write(plan)
    after = dashboards(plan.org)  # the parts of inspections not written come from the cache
    worked_out_again = set(worked_out)
    caches["figures"].clear()
    afresh = dashboards(plan.org)

    assert after == afresh
    assert after != before  # the write changed the figures: a part kept from before would show
    assert worked_out_again == {inspection.pk for inspection in written}


def test_a_write_that_changes_no_figure_keeps_every_part(plan, worked_out):
    dashboards(plan.org)
    worked_out.clear()
    plan.derby.title = "A renamed inspection"
    plan.derby.save()
    shown = dashboards(plan.org)

    assert worked_out == []
    assert any(row.title == "A renamed inspection" for row in shown["East Midlands, its director"].inspections)


def test_a_part_is_worked_out_again_on_the_next_day(plan, worked_out):
    dashboards(plan.org)
    worked_out.clear()
    later = TODAY + dt.timedelta(days=40)
    tomorrow = regional_dashboard(user=plan.org.director, region=plan.org.east_midlands, today=later)
    caches["figures"].clear()

    assert set(worked_out) == {plan.derby.pk, plan.shire.pk}
    assert tomorrow == regional_dashboard(user=plan.org.director, region=plan.org.east_midlands, today=later)


def test_what_was_written_before_the_triggers_is_found_and_versioned(plan):
    org = plan.org
    # Derby City's action on a recommendation to the region: found through Derby City's version row.
    review = InspectionFactory(unit=org.east_midlands, title="A review of the East Midlands region")
    recommendation = RecommendationFactory(inspection=review, number=1, addressed_to=org.east_midlands)
    ActionFactory(recommendation=recommendation, unit=org.derby_city, owner=org.derby_lead)
    expected = dashboards(org)
    FiguresVersion.objects.all().delete()
    install_triggers(connection)  # as the migration does: every pair there is gets its row
    caches["figures"].clear()

    assert dashboards(org) == expected
    leaders = expected["East Midlands, a PDU leader"]
    assert review.pk in {row.inspection_pk for row in leaders.inspections}
    assert FiguresVersion.objects.filter(inspection=review, unit_pk=org.derby_city.pk).exists()


def _tables_read(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', sql))


def _tables_with_triggers() -> dict[str, set[str]]:
    """{table: the events (INSERT, UPDATE, DELETE) on which a trigger raises figures versions}, as installed."""
    installed: dict[str, set[str]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT event_object_table, event_manipulation FROM information_schema.triggers "
                "WHERE action_statement LIKE '%raises_figures%'"
            )
            rows = cursor.fetchall()
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%figures'")
            rows = [(table, name.removeprefix(table + "_").split("_")[0].upper()) for table, name in cursor.fetchall()]
    for table, event in rows:
        installed.setdefault(table, set()).add(event)
    return installed


def test_every_table_the_cached_parts_read_raises_the_figures_version_on_every_write(plan):
    with CaptureQueriesContext(connection) as captured:
        dashboard_parts.work_out_parts([plan.derby.pk, plan.shire.pk], today=TODAY)
    read = set().union(*(_tables_read(query["sql"]) for query in captured.captured_queries))
    installed = _tables_with_triggers()

    assert "recommendations_action" in read and "recommendations_evidence" in read
    for table in read:
        assert installed.get(table) == {"INSERT", "UPDATE", "DELETE"}, (
            f"{table} is read, but its writes raise no version"
        )
    assert set(installed) == set(WRITES)


@pytest.mark.parametrize("cached", [False, True], ids=["nothing cached", "everything cached"])
def test_the_dashboards_queries_do_not_grow_with_the_inspections(client, plan, cached):
    org = plan.org
    pages = [
        (org.director, reverse("recommendations:regional_dashboard", args=["east-midlands"])),
        (org.viewer, reverse("recommendations:national_dashboard")),
    ]

    def queries():
        counts = []
        for user, url in pages:
            client.force_login(user)
            client.get(url)  # settles the session, and fills the cache
            if not cached:
                caches["figures"].clear()
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    few = queries()
    for _ in range(3):
        bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=5)
        bulk_plan(unit=org.cardiff, owner=org.wales_director, verifier=org.viewer, actions=5)
    assert queries() == few
    assert max(few) <= 12


def test_with_redis_unreachable_the_dashboards_answer_from_their_queries(client, plan, settings):
    expected = dashboards(plan.org)
    settings.CACHES = {
        **settings.CACHES,
        "figures": {
            "BACKEND": "tracker.caches.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    assert dashboards(plan.org) == expected
    client.force_login(plan.org.director)
    assert client.get(reverse("recommendations:regional_dashboard", args=["east-midlands"])).status_code == 200
    client.force_login(plan.org.viewer)
    assert client.get(reverse("recommendations:national_dashboard")).status_code == 200


@pytest.mark.needs_services
def test_parts_kept_in_redis_are_shared_and_give_the_same_figures(plan, settings, worked_out):
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis is not reachable at {url}: {exc}")
    # Keys of this test's own: other runs sharing the Redis database are untouched.
    redis_cache = {"BACKEND": "tracker.caches.FailSoftRedisCache", "LOCATION": url, "KEY_PREFIX": uuid.uuid4().hex}
    settings.CACHES = {**settings.CACHES, "figures": redis_cache}
    first = dashboards(plan.org)
    worked_out.clear()
    assert dashboards(plan.org) == first and worked_out == []  # every part read back from Redis

    progress_update(plan)
    second = dashboards(plan.org)
    settings.CACHES = {**settings.CACHES, "figures": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    assert set(worked_out) == {plan.derby.pk}
    assert second == dashboards(plan.org) != first
