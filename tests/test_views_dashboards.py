"""The regional and national dashboards: who may see which, and what the figures say."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.models import ActionStatus
from recommendations.selectors.dashboards import national_dashboard, regional_dashboard
from reporting.models import Measure, MeasureReading
from tests.factories import ActionFactory, LinkEvidenceFactory, PDUFactory, RecommendationFactory, RegionFactory
from tests.plan_data import TODAY, build_organisation, bulk_plan
from tests.versions import seen_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def org():
    return build_organisation()


def region_url(slug):
    return reverse("recommendations:regional_dashboard", args=[slug])


NATIONAL = reverse("recommendations:national_dashboard")


@pytest.mark.parametrize("url", [region_url("east-midlands"), NATIONAL, reverse("recommendations:dashboard")])
def test_anonymous_users_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_director_sees_their_region_but_not_another(client, org):
    client.force_login(org.director)
    assert client.get(region_url("east-midlands")).status_code == 200
    assert client.get(region_url("wales")).status_code == 404
    assert client.get(region_url("no-such-region")).status_code == 404
    assert client.get(NATIONAL).status_code == 403


def test_national_viewer_sees_every_region_and_the_national_dashboard(client, org):
    client.force_login(org.viewer)
    assert client.get(region_url("east-midlands")).status_code == 200
    assert client.get(region_url("wales")).status_code == 200
    html = client.get(NATIONAL).content.decode()
    assert "Probation Service – East Midlands" in html and "Probation Service – Wales" in html
    assert region_url("wales") in html


def test_pdu_leader_sees_only_their_pdus_figures_in_their_region(client, org):
    bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=7, recommendations=3)
    bulk_plan(unit=org.derbyshire, owner=org.derbyshire_lead, verifier=org.director, actions=9, recommendations=3)
    client.force_login(org.derby_lead)
    response = client.get(region_url("east-midlands"))
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert [row.unit for row in dashboard.units] == [org.derby_city]
    assert dashboard.partial is True
    assert dashboard.total.actions == 7
    assert "These figures cover only Derby City" in response.content.decode()
    assert client.get(region_url("wales")).status_code == 404
    assert client.get(NATIONAL).status_code == 403


def test_the_dashboard_link_goes_to_the_users_own_dashboard(client, org):
    start = reverse("recommendations:dashboard")
    client.force_login(org.derby_lead)
    assert client.get(start)["Location"] == region_url("east-midlands")
    client.force_login(org.director)
    assert client.get(start)["Location"] == region_url("east-midlands")
    client.force_login(org.viewer)
    assert client.get(start)["Location"] == NATIONAL


def test_regional_figures_by_unit_and_inspection(org):
    _, recs, actions = bulk_plan(
        unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=14, recommendations=3
    )
    bulk_plan(unit=org.derbyshire, owner=org.derbyshire_lead, verifier=org.director, actions=7, recommendations=2)
    RecommendationFactory(inspection=recs[0].inspection, number=20, addressed_to=org.east_midlands)

    dashboard = regional_dashboard(user=org.director, region=org.east_midlands, today=TODAY)

    assert [row.unit for row in dashboard.units] == [org.east_midlands, org.derby_city, org.derbyshire]
    region, derby, shire = (row.figures for row in dashboard.units)
    assert region.recommendations == 1 and region.without_action == 1 and region.actions == 0
    # 14 actions cycle through 7 statuses: 2 of each, 4 in progress.
    assert (derby.not_started, derby.in_progress, derby.blocked) == (2, 4, 2)
    assert (derby.completed, derby.verified, derby.cancelled) == (2, 2, 2)
    assert derby.awaiting_verification == 2
    assert derby.actions == 14
    assert derby.recommendations == 3 and derby.without_action == 1
    expected_overdue = sum(1 for a in actions if a.is_overdue(today=TODAY))
    assert derby.overdue == expected_overdue > 0
    assert derby.red + derby.amber + derby.green == 14 - derby.cancelled
    assert shire.actions == 7
    assert dashboard.total.actions == 21
    assert dashboard.partial is False

    by_inspection = {row.title: row.figures for row in dashboard.inspections}
    derby_inspection = by_inspection[recs[0].inspection.title]
    assert derby_inspection.actions == 14
    assert derby_inspection.recommendations == 4  # three to Derby City and one to the region


def test_readiness_counts_recommendations_whose_actions_are_all_verified(org):
    def action(rec, status):
        extra = {}
        if status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
            extra.update(completed_at=timezone.now(), completed_by=org.derby_lead)
        if status == ActionStatus.VERIFIED:
            extra.update(verified_at=timezone.now(), verified_by=org.director)
        return ActionFactory(recommendation=rec, owner=org.derby_lead, status=status, **extra)

    ready = RecommendationFactory(inspection__unit=org.derby_city)
    action(ready, ActionStatus.VERIFIED)
    action(ready, ActionStatus.CANCELLED)
    half = RecommendationFactory(inspection=ready.inspection)
    action(half, ActionStatus.VERIFIED)
    action(half, ActionStatus.COMPLETED)
    RecommendationFactory(inspection=ready.inspection)  # no action: not ready
    all_cancelled = RecommendationFactory(inspection=ready.inspection)
    action(all_cancelled, ActionStatus.CANCELLED)

    figures = regional_dashboard(user=org.director, region=org.east_midlands, today=TODAY).total
    assert (figures.recommendations, figures.ready, figures.without_action) == (4, 1, 1)
    assert figures.readiness == 25


def test_verifying_an_action_moves_the_figures(client, org):
    action = ActionFactory(recommendation__inspection__unit=org.derby_city, owner=org.derby_lead)
    LinkEvidenceFactory(action=action)
    services.mark_complete(
        action=action,
        by=org.derby_lead,
        narrative="Training delivered to all teams.",
        expected_version=seen_version(action),
    )
    before = regional_dashboard(user=org.director, region=org.east_midlands, today=TODAY).total
    assert (before.awaiting_verification, before.verified, before.ready) == (1, 0, 0)

    services.verify_action(action=action, by=org.director, expected_version=seen_version(action))

    after = regional_dashboard(user=org.director, region=org.east_midlands, today=TODAY).total
    assert (after.awaiting_verification, after.verified, after.ready) == (0, 1, 1)
    client.force_login(org.director)
    html = client.get(region_url("east-midlands")).content.decode()
    assert re.search(r'data-figure="verified"><a [^>]*>1<', html)
    assert 'data-figure="readiness">100%<' in html


def test_national_figures_roll_up_by_region(org):
    bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=7, recommendations=2)
    bulk_plan(unit=org.cardiff, owner=org.wales_director, verifier=org.wales_director, actions=4, recommendations=2)
    RecommendationFactory(inspection__unit=org.derby_city, addressed_to=org.hmpps)
    RecommendationFactory(inspection__unit=org.hmpps, addressed_to=org.hmpps)

    dashboard = national_dashboard(user=org.viewer, today=TODAY)

    by_region = {row.region.slug if row.region else None: row.figures for row in dashboard.regions}
    assert by_region["east-midlands"].actions == 7
    assert by_region["wales"].actions == 4
    # Addressed to HMPPS on an East Midlands inspection: part of the region's plan.
    assert by_region["east-midlands"].recommendations == 2 + 1
    assert by_region[None].recommendations == 1  # addressed to HMPPS on an inspection of HMPPS
    assert dashboard.total.actions == 11
    assert dashboard.total.recommendations == 2 + 2 + 1 + 1


def _measure(unit, *, name, baseline, target, reading, by):
    measure = Measure.objects.create(
        name=name, unit=unit, baseline=baseline, baseline_date=dt.date(2025, 6, 1), target=target
    )
    measure.recommendations.add(RecommendationFactory(inspection__unit=unit, addressed_to=unit))
    MeasureReading.objects.create(
        measure=measure, taken_on=dt.date(2026, 9, 30), value=reading, source="Internal audit", recorded_by=by
    )
    return measure


def test_national_dashboard_shows_progress_for_the_country_and_links_to_each_regions(client, org):
    # Derby City: 7 actions, one cancelled (left out), two completed of which one verified; Cardiff: 4, one completed.
    bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=7, recommendations=2)
    bulk_plan(unit=org.cardiff, owner=org.wales_director, verifier=org.wales_director, actions=5, recommendations=2)
    client.force_login(org.viewer)

    html = client.get(NATIONAL).content.decode()

    assert "England and Wales: actions completed and verified over time" in html  # the national chart
    assert "England and Wales at 2 November 2026: <strong>3</strong> of 11 actions completed, <strong>1</strong>" in (
        html
    )
    start = html.index('id="progress-by-region"')
    table = html[start : html.index("</table>", start)]
    for slug, name, figures in (("east-midlands", "East Midlands", (6, 2, 1)), ("wales", "Wales", (5, 1, 0))):
        row = table[table.index(reverse("reporting:progress", args=[slug])) :]
        row = row[: row.index("</tr>")]
        assert [int(n) for n in re_numbers(row)] == list(figures), name
        # Its own chart is on its progress page, which the row links to, and says the same.
        progress = client.get(reverse("reporting:progress", args=[slug])).content.decode()
        assert f"Probation Service – {name}: actions completed and verified over time" in progress
        total, completed, verified = figures
        assert f"<strong>{completed}</strong> of {total} actions completed, <strong>{verified}</strong>" in progress


def re_numbers(row_html):
    return re.findall(r'govuk-table__cell--numeric">(\d+)<', row_html)


def test_national_dashboard_counts_hmpps_actions_outside_any_region(client, org):
    bulk_plan(unit=org.hmpps, owner=org.viewer, verifier=org.director, actions=2, recommendations=2)
    client.force_login(org.viewer)
    html = client.get(NATIONAL).content.decode()
    table = html[html.index('id="progress-by-region"') :]
    row = table[table.index("HMPPS and units outside a region") :]
    assert [int(n) for n in re_numbers(row[: row.index("</tr>")])] == [2, 0, 0]


def test_national_dashboard_shows_the_measures_of_impact_of_every_region(client, org):
    _measure(org.derby_city, name="Assessments keep people safe", baseline=40, target=75, reading=58, by=org.director)
    _measure(org.cardiff, name="Plans address desistance", baseline=52, target=80, reading=61, by=org.wales_director)
    client.force_login(org.viewer)

    html = client.get(NATIONAL).content.decode()

    panel = html[html.index("Measures of impact") :]
    for name, unit, baseline, target, latest in (
        ("Assessments keep people safe", "Derby City", "40%", "75%", "58%"),
        ("Plans address desistance", "Cardiff and Vale", "52%", "80%", "61%"),
    ):
        measure = panel[panel.index(name) :]
        assert measure.index(unit) < measure.index("Baseline") < measure.index(baseline)
        assert measure.index(target) < measure.index(f"<strong>{latest}</strong>")
        assert f"{name}: baseline and readings over time" in measure  # the chart
        assert f"{name}: baseline and readings</caption>" in measure  # and the table
    assert "Record a new reading" not in panel  # a national viewer reads, does not record


def test_national_dashboard_queries_do_not_grow_with_regions(client, org, django_assert_num_queries):
    def add_region(slug):
        region = RegionFactory(name=f"Probation Service – {slug}", slug=slug, parent=org.hmpps)
        pdu = PDUFactory(name=f"{slug} PDU", slug=f"{slug}-pdu", parent=region)
        bulk_plan(unit=pdu, owner=org.viewer, verifier=org.director, actions=6, recommendations=2)
        _measure(pdu, name=f"Measure in {slug}", baseline=30, target=60, reading=45, by=org.director)

    add_region("north-east")
    client.force_login(org.viewer)
    client.get(NATIONAL)  # the first request settles the session
    # Nothing cached either time: every inspection's figures are worked out from the queries.
    caches["figures"].clear()
    with CaptureQueriesContext(connection) as one_region:
        assert client.get(NATIONAL).status_code == 200
    for slug in ("north-west", "london", "kent"):
        add_region(slug)
    caches["figures"].clear()
    with django_assert_num_queries(len(one_region)):
        html = client.get(NATIONAL).content.decode()
    assert "Measure in kent" in html and reverse("reporting:progress", args=["kent"]) in html


def test_a_pdu_leaders_dashboard_charts_and_links_their_own_units_progress(client, org):
    bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=7, recommendations=3)
    bulk_plan(unit=org.derbyshire, owner=org.derbyshire_lead, verifier=org.director, actions=9, recommendations=3)
    client.force_login(org.derby_lead)

    html = client.get(region_url("east-midlands")).content.decode()

    assert "Derby City: actions completed and verified over time" in html
    assert "East Midlands: actions completed and verified over time" not in html
    own, region = (
        reverse("reporting:progress", args=["derby-city"]),
        reverse("reporting:progress", args=["east-midlands"]),
    )
    assert own in html and region not in html
    assert client.get(own).status_code == 200  # every link on the page leads somewhere the leader may go
