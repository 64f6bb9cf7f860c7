"""The dashboards' progress charts are added up from each inspection's cached part, and are never stale.

Each part keeps its inspection's actions counted by unit and by the months they were
created, completed and verified (recommendations.selectors.dashboard_parts): the charts
added up from the parts equal those counted by the queries, and a write that changes a
month's figure changes the chart at once, cache or no cache.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse

from recommendations import services
from recommendations.models import Action, ActionStatus, Inspection, PlanState, ResponsePlan, UnitKind
from recommendations.selectors.dashboards import national_dashboard, regional_dashboard
from recommendations.selectors.month_counts import month_counts
from reporting.selectors.progress import (
    grouped_progress,
    progress_by_month,
    progress_from_counts,
)
from tests.factories import ActionFactory, NationalViewerFactory, OrgUnitFactory, RecommendationFactory
from tests.plan_data import TODAY, build_organisation, bulk_plan

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _spread_over_months(actions):
    """Created, completed and verified in different months, some across a year's end."""
    for index, action in enumerate(actions):
        created = NOW - dt.timedelta(days=30 * (index % 14) + 3)
        fields = {"created_at": created}
        if action.completed_at:
            fields["completed_at"] = created + dt.timedelta(days=20 * (index % 5))
        if action.verified_at:
            fields["verified_at"] = created + dt.timedelta(days=20 * (index % 5) + 25)
        Action.objects.filter(pk=action.pk).update(**fields)


@pytest.fixture
def org():
    org = build_organisation()
    for unit, owner, verifier, n in [
        (org.derby_city, org.derby_lead, org.director, 30),
        (org.derbyshire, org.derbyshire_lead, org.director, 17),
        (org.cardiff, org.wales_director, org.viewer, 12),
    ]:
        _inspection, _recommendations, actions = bulk_plan(unit=unit, owner=owner, verifier=verifier, actions=n)
        _spread_over_months(actions)
    # HMPPS's action on Derby City's inspection (outside any region), and a dissolved body's
    # action (in the region of its successor), a draft and a cancelled action.
    derby = Inspection.objects.get(unit=org.derby_city)
    editor = NationalViewerFactory(unit=org.hmpps, can_edit_national_actions=True)
    national = RecommendationFactory(inspection=derby, number=9, addressed_to=org.hmpps)
    ActionFactory(recommendation=national, unit=org.hmpps, owner=editor)
    crc = OrgUnitFactory(slug="a-crc", kind=UnitKind.CRC, is_legacy=True, successor=org.derby_city)
    ActionFactory(recommendation=RecommendationFactory(inspection=derby, number=20, addressed_to=crc), unit=crc)
    Action.objects.filter(pk=Action.objects.filter(unit=org.cardiff).order_by("pk").first().pk).update(
        status=ActionStatus.CANCELLED
    )
    return org


def _national_chart(org):
    return grouped_progress(national_dashboard(user=org.viewer, today=TODAY).months_by_region, today=TODAY)


def _regional_chart(org, region):
    return progress_from_counts(regional_dashboard(user=org.director, region=region, today=TODAY).months, today=TODAY)


def test_the_charts_added_up_from_the_parts_equal_those_counted_by_the_queries(org):
    # Each region's actions counted by the database's own rule (answering_region: HMPPS's on
    # the region's inspections among them), dissolved bodies' left out as the figures leave them.
    current = Action.objects.exclude(unit__is_legacy=True)
    by_region = {
        region: months
        for region in (org.east_midlands.pk, org.wales.pk, None)
        if (months := month_counts(current.in_answering_region(region)).get(()))
    }
    counted = grouped_progress(by_region, today=TODAY)
    regional = progress_by_month(Action.objects.in_figures_of(org.east_midlands), today=TODAY)

    for cached in (False, True):  # worked out from the database, then read from the cache
        if not cached:
            caches["figures"].clear()
        assert _national_chart(org) == counted
        assert _regional_chart(org, org.east_midlands) == regional
    assert counted.groups[org.east_midlands.pk] == regional
    assert len(counted.whole) >= 12 and set(counted.groups) == {org.east_midlands.pk, org.wales.pk}
    assert (
        regional[-1].total
        == Action.objects.in_figures_of(org.east_midlands).exclude(status=ActionStatus.CANCELLED).count()
    )


def test_a_pdu_leader_sees_only_part_of_the_region_and_its_chart_is_counted_by_the_queries(org):
    shown = regional_dashboard(user=org.derby_lead, region=org.east_midlands, today=TODAY)

    assert shown.partial and shown.months is None


def test_a_completion_changes_this_months_figure_on_both_charts_at_once(org):
    national_before, regional_before = _national_chart(org), _regional_chart(org, org.east_midlands)
    action = Action.objects.filter(unit=org.derby_city, status=ActionStatus.IN_PROGRESS).order_by("pk").first()
    services.add_evidence(action=action, added_by=org.derby_lead, title="Audit", url="https://example.org/a")
    action.refresh_from_db()
    services.mark_complete(action=action, by=org.derby_lead, narrative="Done", expected_version=action.version)

    national_after, regional_after = _national_chart(org), _regional_chart(org, org.east_midlands)
    assert national_after.whole[-1].completed == national_before.whole[-1].completed + 1
    assert regional_after[-1].completed == regional_before[-1].completed + 1
    assert regional_after[:-1] == regional_before[:-1]  # earlier months are as they were
    caches["figures"].clear()
    assert (national_after, regional_after) == (_national_chart(org), _regional_chart(org, org.east_midlands))


def test_an_action_moved_back_a_month_moves_the_chart(org):
    before = _regional_chart(org, org.east_midlands)
    action = Action.objects.filter(unit=org.derbyshire).order_by("-created_at", "pk").first()
    Action.objects.filter(pk=action.pk).update(created_at=action.created_at - dt.timedelta(days=31))

    after = _regional_chart(org, org.east_midlands)
    assert after != before
    assert after[-1].total == before[-1].total
    caches["figures"].clear()
    assert after == _regional_chart(org, org.east_midlands)


def test_a_draft_counts_on_no_chart_until_its_plan_is_approved(org):
    before = _regional_chart(org, org.east_midlands)
    national_before = _national_chart(org)
    inspection = Inspection.objects.create(
        unit=org.derby_city, title="A new inspection of Derby City", published_on=TODAY - dt.timedelta(days=10)
    )
    plan = ResponsePlan.objects.create(inspection=inspection, unit=org.derby_city, state=PlanState.DRAFT)
    ActionFactory(recommendation=RecommendationFactory(inspection=inspection, number=1), unit=org.derby_city)
    covered = Action.objects.in_figures_of(org.east_midlands)

    assert _regional_chart(org, org.east_midlands) == before == progress_by_month(covered, today=TODAY)
    assert _national_chart(org) == national_before
    ResponsePlan.objects.filter(pk=plan.pk).update(state=PlanState.APPROVED, approved_at=NOW)
    after = _regional_chart(org, org.east_midlands)
    assert after[-1].total == before[-1].total + 1
    assert after == progress_by_month(covered, today=TODAY)
    assert _national_chart(org).whole[-1].total == national_before.whole[-1].total + 1


def _as_at_end(months):
    """(in the plan, completed, verified) at the chart's last point."""
    last = months[-1]
    return (last.total, last.completed, last.verified)


def _from_table(figures):
    """What the chart's last point must say, read from a dashboard's row of figures."""
    return (figures.actions - figures.cancelled, figures.completed + figures.verified, figures.verified)


def test_a_regions_chart_counts_the_actions_its_total_row_counts(org):
    # HMPPS's action on the region's inspection is in the total (completed, so that it shows
    # apart from the others); the dissolved CRC's is not.
    Action.objects.filter(unit=org.hmpps).update(
        status=ActionStatus.COMPLETED, completed_at=NOW, completed_by=org.director
    )
    shown = regional_dashboard(user=org.director, region=org.east_midlands, today=TODAY)
    assert _as_at_end(progress_from_counts(shown.months, today=TODAY)) == _from_table(shown.total)


def test_the_national_charts_count_the_actions_their_rows_count(org):
    shown = national_dashboard(user=org.viewer, today=TODAY)
    chart = grouped_progress(shown.months_by_region, today=TODAY)
    assert _as_at_end(chart.whole) == _from_table(shown.total)
    for row in shown.regions:
        region_pk = row.region.pk if row.region else None
        assert _as_at_end(chart.groups[region_pk]) == _from_table(row.figures), row.region


def test_the_regional_dashboard_and_the_regions_progress_page_say_the_same(client, org):
    Action.objects.filter(unit=org.hmpps).update(
        status=ActionStatus.COMPLETED, completed_at=NOW, completed_by=org.director
    )
    client.force_login(org.director)
    said = re.compile(r"At [^:]+: <strong>(\d+)</strong> of (\d+) actions completed, <strong>(\d+)</strong> verified")
    dashboard = client.get(reverse("recommendations:regional_dashboard", args=[org.east_midlands.slug]))
    progress = client.get(reverse("reporting:progress", args=[org.east_midlands.slug]))
    shown = regional_dashboard(user=org.director, region=org.east_midlands, today=TODAY)
    assert said.findall(dashboard.content.decode()) == said.findall(progress.content.decode())
    total, completed, verified = _from_table(shown.total)
    assert said.findall(dashboard.content.decode()) == [(str(completed), str(total), str(verified))]


def test_a_pdu_leaders_chart_counts_the_actions_of_the_total_they_see(client, org):
    # HMPPS's action on Derby City's inspection is in the leader's total, and completed so that it shows.
    Action.objects.filter(unit=org.hmpps).update(
        status=ActionStatus.COMPLETED, completed_at=NOW, completed_by=org.director
    )
    shown = regional_dashboard(user=org.derby_lead, region=org.east_midlands, today=TODAY)
    assert shown.partial
    client.force_login(org.derby_lead)
    html = client.get(reverse("recommendations:regional_dashboard", args=[org.east_midlands.slug])).content.decode()
    said = re.findall(
        r"At [^:]+: <strong>(\d+)</strong> of (\d+) actions completed, <strong>(\d+)</strong> verified", html
    )
    total, completed, verified = _from_table(shown.total)
    assert said == [(str(completed), str(total), str(verified))]
