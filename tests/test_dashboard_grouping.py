"""The national dashboard reads actions and recommendations by their units and gives each row its region afterwards.

The rows it adds up must be those `answering_region` (the one rule, as a query expression)
puts in each region: checked on generated data with HMPPS's actions on the regions'
inspections, a dissolved body whose work a PDU took over, an action of a unit outside every
region and a draft awaiting sign-off.
"""

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Count, F, Q, Value
from django.utils import timezone

from bench.scale_data import ScaleSpec, generate
from recommendations.models import RAG, Action, ActionStatus, OrgUnit, PlanState, ResponsePlan, UnitKind, User
from recommendations.models.units import answering_region, answering_region_of
from recommendations.scope import recommendations_visible_to
from recommendations.selectors.dashboard_parts import recommendation_flags
from recommendations.selectors.dashboards import national_dashboard
from tests.factories import ActionFactory, InspectionFactory, OrgUnitFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

UNIT_PATHS = {"unit": "unit__", "inspected_unit": "recommendation__inspection__unit__"}
STATUS_AND_RAG = (*ActionStatus.values, *RAG.values)
RECOMMENDATION_FIGURES = ("recommendations", "without_action", "ready")


@pytest.fixture
def plan():
    today = timezone.localdate()
    spec = ScaleSpec(regions=2, pdus_per_region=2, actions=300, updates_per_action=2, seed=5, today=today)
    generate(spec)
    pdu = OrgUnit.objects.filter(kind=UnitKind.PDU).order_by("pk").first()
    crc = OrgUnitFactory(slug="a-crc", kind=UnitKind.CRC, is_legacy=True, successor=pdu)
    ActionFactory(recommendation=RecommendationFactory(inspection=InspectionFactory(unit=pdu), addressed_to=crc))
    hmpps = OrgUnit.objects.get(kind=UnitKind.NATIONAL)
    ActionFactory(recommendation=RecommendationFactory(inspection=InspectionFactory(unit=hmpps)))
    draft = ActionFactory(recommendation=RecommendationFactory(inspection=InspectionFactory(unit=pdu)))
    ResponsePlan.objects.create(inspection=draft.recommendation.inspection, unit=pdu, state=PlanState.DRAFT)
    # Addressed jointly to a PDU of each region, and to the dissolved body and its successor.
    other = OrgUnit.objects.filter(kind=UnitKind.PDU).exclude(parent=pdu.parent_id).order_by("pk").first()
    RecommendationFactory(inspection=InspectionFactory(unit=pdu), addressed_to=pdu).addressees.add(other, crc)
    return today


def test_the_region_worked_out_for_two_units_is_the_region_the_rule_gives():
    generate(ScaleSpec(regions=2, pdus_per_region=2, actions=200, updates_per_action=1, seed=5))
    pdu = OrgUnit.objects.filter(kind=UnitKind.PDU).order_by("pk").first()
    crc = OrgUnitFactory(slug="a-crc", kind=UnitKind.CRC, is_legacy=True, successor=pdu)
    ActionFactory(recommendation=RecommendationFactory(inspection=InspectionFactory(unit=pdu), addressed_to=crc))
    units = {unit.pk: unit for unit in OrgUnit.objects.with_region_pk()}
    rows = Action.objects.annotate(region=answering_region(**UNIT_PATHS))
    pairs = set(rows.values_list("unit_id", "recommendation__inspection__unit_id", "region"))

    assert any(units[unit].kind == UnitKind.NATIONAL and region for unit, _, region in pairs)
    assert any(units[unit].is_legacy for unit, _, _ in pairs)
    for unit, inspected, region in pairs:
        assert answering_region_of(units[unit], units[inspected]) == region


def _counted_by_the_rule(region, today):
    """The live actions `in_answering_region`, current units only, by status and derived RAG."""
    actions = Action.objects.live().in_answering_region(region).filter(unit__is_legacy=False)
    counts = Counter(actions.values_list("status", flat=True))
    counts.update(actions.with_derived_rag(today=today).exclude(derived_rag="").values_list("derived_rag", flat=True))
    counts["overdue"] = actions.overdue(today=today).count()
    return counts


def test_each_regions_row_counts_the_actions_the_rule_puts_in_the_region(plan):
    today = plan
    viewer = User.objects.create(username="viewer", role="national_viewer")
    dashboard = national_dashboard(user=viewer, today=today)
    rows = {row.region.pk if row.region else None: row for row in dashboard.regions}

    assert None in rows  # HMPPS's own inspection
    for region, row in rows.items():
        expected = _counted_by_the_rule(region, today)
        shown = {name: getattr(row.figures, name) for name in (*STATUS_AND_RAG, "overdue")}
        assert shown == {name: expected[name] for name in shown}, row.name
    assert dashboard.superseded.actions == 1
    assert dashboard.total.actions == Action.objects.live().filter(unit__is_legacy=False).count()
    assert dashboard.total.actions < Action.objects.filter(unit__is_legacy=False).count()  # the draft


def _recommendations_grouped(recommendations, **groups):
    """Counts of recommendations by the expressions `groups`, in the database; with none, one row for them all."""
    groups = groups or {"everything": Value(1)}
    # Distinct: a recommendation addressed jointly is read once for each addressee.
    counts = {
        "recommendations": Count("pk", distinct=True),
        "without_action": Count("pk", filter=Q(has_action=False), distinct=True),
        "ready": Count("pk", filter=Q(ready=True), distinct=True),
    }
    grouped = recommendations.order_by().alias(**recommendation_flags()).annotate(**groups)
    return grouped.values(*groups).annotate(**counts)


def _recommendations_by_the_rule(viewer):
    """The recommendation figures of each row as the database grouped them by `answering_region` before."""
    by_region = {
        "region": answering_region(unit="addressees__", inspected_unit="inspection__unit__"),
        "superseded": F("addressees__is_legacy"),
    }
    rows = {}
    for row in _recommendations_grouped(recommendations_visible_to(viewer), **by_region):
        key = "superseded" if row["superseded"] else row["region"]
        counted = rows.setdefault(key, Counter())
        counted.update({name: row[name] for name in RECOMMENDATION_FIGURES})
    current = recommendations_visible_to(viewer).addressed_to_any(OrgUnit.objects.current().values("pk"))
    rows["total"] = {
        name: value for name, value in _recommendations_grouped(current)[0].items() if name != "everything"
    }
    return rows


def test_each_regions_recommendations_are_those_the_rule_grouped_in_the_database(plan):
    viewer = User.objects.create(username="viewer", role="national_viewer")
    dashboard = national_dashboard(user=viewer, today=plan)
    expected = _recommendations_by_the_rule(viewer)
    shown = {row.region.pk if row.region else None: row.figures for row in dashboard.regions}
    shown |= {"superseded": dashboard.superseded, "total": dashboard.total}

    assert expected["superseded"]["recommendations"] >= 2  # the dissolved body's two
    for key, figures in shown.items():
        assert {name: getattr(figures, name) for name in RECOMMENDATION_FIGURES} == {
            name: expected.get(key, {}).get(name, 0) for name in RECOMMENDATION_FIGURES
        }, key


def test_the_rows_agree_with_the_rule_on_a_later_day_too(plan):
    viewer = User.objects.create(username="viewer", role="national_viewer")
    later = plan + dt.timedelta(days=40)
    dashboard = national_dashboard(user=viewer, today=later)
    for row in dashboard.regions:
        expected = _counted_by_the_rule(row.region.pk if row.region else None, later)
        assert (row.figures.red, row.figures.amber, row.figures.green, row.figures.overdue) == (
            expected["red"],
            expected["amber"],
            expected["green"],
            expected["overdue"],
        )
