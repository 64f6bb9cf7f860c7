"""Figures for the regional and national dashboards, from a few aggregate queries.

Each dashboard groups the plan twice: actions (counted by status, overdue and derived
RAG) and recommendations (how many have no action, and how many are ready for the next
inspection). Both are GROUP BY queries in the database, so a dashboard costs the same
handful of queries however many actions there are. Scope comes from recommendations.scope.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from ..filters.units import CURRENT, OUTSIDE_REGIONS, OUTSIDE_REGIONS_LABEL, SUPERSEDED
from ..models import RAG, Action, ActionStatus, OrgUnit, UnitKind
from ..models.actions import overdue
from ..models.choices import NO_ACTION
from ..models.inspections import recommendation_done
from ..scope import (
    actions_visible_to,
    recommendations_visible_to,
    units_in_region,
    visible_units,
)


@dataclass
class Figures:
    """The counts a dashboard shows for one group (a unit, an inspection, a region or a total)."""

    not_started: int = 0
    in_progress: int = 0
    blocked: int = 0
    completed: int = 0
    verified: int = 0
    cancelled: int = 0
    overdue: int = 0
    red: int = 0
    amber: int = 0
    green: int = 0
    recommendations: int = 0
    without_action: int = 0
    ready: int = 0

    @property
    def actions(self) -> int:
        return self.not_started + self.in_progress + self.blocked + self.completed + self.verified + self.cancelled

    @property
    def awaiting_verification(self) -> int:
        return self.completed

    @property
    def readiness(self) -> int | None:
        """Whole percentage of recommendations ready for the next inspection; None when there are none."""
        if not self.recommendations:
            return None
        return round(100 * self.ready / self.recommendations)

    def add(self, other: "Figures") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def take(self, counts: dict) -> None:
        for f in fields(self):
            if f.name in counts:
                setattr(self, f.name, getattr(self, f.name) + counts[f.name])


# Where each figure's rows are listed: the page (the action plan, or the recommendations list)
# and the filters that choose exactly the rows the figure counts, besides its group's own.
PLAN, RECOMMENDATIONS = "recommendations:action_plan", "recommendations:recommendation_list"
FIGURE_ROWS = {
    "actions": (PLAN, {"status": ActionStatus.values}),
    **{status: (PLAN, {"status": status}) for status in ActionStatus.values},
    "awaiting_verification": (PLAN, {"status": ActionStatus.COMPLETED}),
    "overdue": (PLAN, {"overdue": "yes"}),
    **{rag: (PLAN, {"derived_rag": rag}) for rag in RAG.values},
    "recommendations": (RECOMMENDATIONS, {}),
    "without_action": (PLAN, {"status": NO_ACTION}),
    "ready": (RECOMMENDATIONS, {"done": "yes"}),
}
# Recommendations are counted by their addressee, which the recommendations list calls so.
RECOMMENDATION_PARAMS = {"unit": "addressee"}


def figure_filters(group_filters: dict, name: str) -> tuple[str, dict]:
    """The page listing the rows of figure `name` of a group (with `group_filters`), and its filters."""
    view, rows = FIGURE_ROWS[name]
    if view == RECOMMENDATIONS:
        group_filters = {RECOMMENDATION_PARAMS.get(key, key): value for key, value in group_filters.items()}
    return view, {**group_filters, **rows}


@dataclass
class FigureGroup:
    """A group of rows: its figures, name, and the filters choosing its rows (figure_filters adds each figure's)."""

    name: str
    filters: dict
    figures: Figures = field(default_factory=Figures)


@dataclass
class UnitFigures:
    unit: OrgUnit
    figures: Figures = field(default_factory=Figures)

    @property
    def name(self) -> str:
        return self.unit.display_name

    @property
    def filters(self) -> dict:
        return {"unit": self.unit.slug}


@dataclass
class InspectionFigures:
    inspection_pk: int
    title: str
    published_on: date | None
    next_inspection_expected: date | None
    figures: Figures = field(default_factory=Figures)
    # The units it is counted for: a region's today's units.
    unit_filters: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.title

    @property
    def filters(self) -> dict:
        return {"inspection": self.inspection_pk, **self.unit_filters}


@dataclass
class RegionalDashboard:
    region: OrgUnit
    units: list[UnitFigures]
    inspections: list[InspectionFigures]
    total: Figures
    # True when the user sees only part of the region (a PDU leader sees their own PDU).
    partial: bool
    # Bodies dissolved in June 2021 whose work the region took over: shown apart, with their
    # successor, and left out of the totals, the inspections' figures and readiness.
    superseded: list[UnitFigures] = field(default_factory=list)

    @property
    def total_group(self) -> FigureGroup:
        return FigureGroup(name=self.region.display_name, filters=_region_filters(self.region), figures=self.total)


def _region_filters(region: OrgUnit | None) -> dict:
    """A region's today's units (or those outside every region), as dashboards count them."""
    return {"region": region.slug if region else OUTSIDE_REGIONS, "superseded": CURRENT}


@dataclass
class RegionFigures:
    region: OrgUnit | None  # None: HMPPS and other units outside any region
    figures: Figures = field(default_factory=Figures)

    @property
    def name(self) -> str:
        return self.region.display_name if self.region else OUTSIDE_REGIONS_LABEL

    @property
    def filters(self) -> dict:
        return _region_filters(self.region)


@dataclass
class NationalDashboard:
    regions: list[RegionFigures]
    total: Figures
    # Every dissolved body's figures together, left out of the regions' and the total.
    superseded: Figures = field(default_factory=Figures)

    @property
    def total_group(self) -> FigureGroup:
        return FigureGroup(name="every region", filters={"superseded": CURRENT}, figures=self.total)

    @property
    def superseded_group(self) -> FigureGroup:
        return FigureGroup(name="dissolved bodies", filters={"superseded": SUPERSEDED}, figures=self.superseded)


def _action_figures(*, today: date) -> dict:
    counts = {status: Count("pk", filter=Q(status=status)) for status in ActionStatus.values}
    counts["overdue"] = Count("pk", filter=overdue(today=today))
    return counts


def _recommendation_figures() -> dict:
    return {
        "recommendations": Count("pk"),
        "without_action": Count("pk", filter=Q(has_action=False)),
        "ready": Count("pk", filter=Q(ready=True)),
    }


def _actions_grouped(actions, key: str, *, today: date, extra: Iterable[str] = ()):
    """Rows of counts by `key` (and `extra`), one for each derived RAG within it.

    Grouping on the derived RAG works it out once for each action; counting each rating
    with its own filter would work it out three times over.
    """
    rows = (
        actions.order_by()
        .with_derived_rag(today=today)
        .values(key, *extra, "derived_rag")
        .annotate(rows=Count("pk"), **_action_figures(today=today))
    )
    for row in rows:
        if row["derived_rag"] in RAG.values:
            row[row["derived_rag"]] = row["rows"]
        yield row


def _recommendations_grouped(recommendations, key: str, *, extra: Iterable[str] = ()):
    return (
        recommendations.order_by()
        .alias(
            has_action=Exists(Action.objects.filter(recommendation=OuterRef("pk"))),
            ready=recommendation_done(),
        )
        .values(key, *extra)
        .annotate(**_recommendation_figures())
    )


def _unit_order(unit: OrgUnit):
    # The region's own row first, then its PDUs, then the legacy bodies it took over.
    rank = 0 if unit.kind == UnitKind.REGION else (2 if unit.is_legacy else 1)
    return (rank, unit.name)


def regional_dashboard(*, user, region: OrgUnit, today: date) -> RegionalDashboard | None:
    """The region's figures by unit and by inspection, as far as the user may see them.

    None when the user can see nothing of the region.
    """
    in_region = units_in_region(region).values("pk")
    region_units = visible_units(user).filter(pk__in=in_region).select_related("successor")
    units = sorted(region_units, key=_unit_order)
    if not units:
        return None
    unit_pks = [unit.pk for unit in units]
    actions = actions_visible_to(user).filter(unit__in=unit_pks)
    recommendations = recommendations_visible_to(user).filter(addressed_to__in=unit_pks)

    by_unit = {unit.pk: UnitFigures(unit=unit) for unit in units}
    inspection_columns = ("title", "published_on", "next_inspection_expected")
    by_inspection: dict[int, InspectionFigures] = {}

    def inspection_row(pk, row, prefix):
        if pk not in by_inspection:
            by_inspection[pk] = InspectionFigures(
                inspection_pk=pk,
                unit_filters=_region_filters(region),
                **{name: row[f"{prefix}{name}"] for name in inspection_columns},
            )
        return by_inspection[pk]

    # One query for actions and one for recommendations, each grouped by unit and
    # inspection together; the two views are added up from the same rows.
    action_prefix = "recommendation__inspection__"
    for row in _actions_grouped(
        actions,
        "unit_id",
        today=today,
        extra=["recommendation__inspection_id", *(f"{action_prefix}{name}" for name in inspection_columns)],
    ):
        by_unit[row["unit_id"]].figures.take(row)
        if not by_unit[row["unit_id"]].unit.is_legacy:
            inspection_row(row["recommendation__inspection_id"], row, action_prefix).figures.take(row)
    for row in _recommendations_grouped(
        recommendations,
        "addressed_to_id",
        extra=["inspection_id", *(f"inspection__{name}" for name in inspection_columns)],
    ):
        by_unit[row["addressed_to_id"]].figures.take(row)
        if not by_unit[row["addressed_to_id"]].unit.is_legacy:
            inspection_row(row["inspection_id"], row, "inspection__").figures.take(row)

    current = [figures for figures in by_unit.values() if not figures.unit.is_legacy]
    total = Figures()
    for unit_figures in current:
        total.add(unit_figures.figures)
    inspections = sorted(
        by_inspection.values(), key=lambda i: (i.published_on is None, i.published_on and -i.published_on.toordinal())
    )
    partial = units_in_region(region).exclude(pk__in=unit_pks).exists()
    return RegionalDashboard(
        region=region,
        units=current,
        inspections=inspections,
        total=total,
        partial=partial,
        superseded=[figures for figures in by_unit.values() if figures.unit.is_legacy],
    )


def national_dashboard(*, user, today: date) -> NationalDashboard:
    """Every region's figures, and those of HMPPS and units outside a region, as far as the user may see."""
    units = OrgUnit.objects.filter(pk__in=visible_units(user).values("pk")).with_region_pk()
    unit_rows = list(units.values_list("pk", "region_pk", "is_legacy"))
    region_of = {pk: region_pk for pk, region_pk, _ in unit_rows}
    legacy = {pk for pk, _, is_legacy in unit_rows if is_legacy}
    regions = {region.pk: RegionFigures(region=region) for region in OrgUnit.objects.filter(kind=UnitKind.REGION)}
    outside = RegionFigures(region=None)
    superseded = RegionFigures(region=None)

    def group(unit_pk):
        if unit_pk in legacy:
            return superseded
        return regions.get(region_of.get(unit_pk), outside)

    for row in _actions_grouped(actions_visible_to(user), "unit_id", today=today):
        group(row["unit_id"]).figures.take(row)
    for row in _recommendations_grouped(recommendations_visible_to(user), "addressed_to_id"):
        group(row["addressed_to_id"]).figures.take(row)

    rows = sorted(regions.values(), key=lambda r: r.region.name)
    if outside.figures.actions or outside.figures.recommendations:
        rows.append(outside)
    total = Figures()
    for row in rows:
        total.add(row.figures)
    return NationalDashboard(regions=rows, total=total, superseded=superseded.figures)
