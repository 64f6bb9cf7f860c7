"""Figures for the regional and national dashboards, added up from each inspection's part.

Each dashboard counts the plan twice: actions (by status, overdue and derived RAG) and
recommendations (how many have no action, and how many are ready for the next inspection).
Every such figure is a sum over inspections, so each inspection's part is worked out in
GROUP BY queries and cached under the inspection's figures version, which the database
raises in the same transaction as every write that changes it (dashboard_parts; the
triggers are recommendations.models.figures). A dashboard reads the inspections it shows
with their versions in one query, their parts in one cache read, works out only those
written since in two queries however many there are, and adds them up here with the units
read on this request: so a dashboard costs the same handful of queries however many actions
and inspections there are, and is never older than the last write. Scope comes from
recommendations.scope.
"""

from dataclasses import dataclass, field, fields
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q

from ..filters.units import CURRENT, OUTSIDE_REGIONS, OUTSIDE_REGIONS_LABEL, SUPERSEDED
from ..models import RAG, ActionStatus, FiguresVersion, Inspection, OrgUnit, UnitKind
from ..models.choices import NO_ACTION
from ..models.units import NATIONAL_KINDS, answering_region_of
from ..scope import sees_everything, units_in_region, visible_units
from .dashboard_parts import ACTION_FIGURES, add_vector, inspection_parts, with_figures_version
from .month_counts import add_rows


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
        for name in FIGURE_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def take(self, counts: dict) -> None:
        for name in FIGURE_NAMES & counts.keys():
            setattr(self, name, getattr(self, name) + counts[name])

    def take_actions(self, counts: tuple) -> None:
        """Add an inspection part's action counts (dashboard_parts.ACTION_FIGURES, in order)."""
        for name, n in zip(ACTION_FIGURES, counts, strict=True):
            if n:
                setattr(self, name, getattr(self, name) + n)


FIGURE_NAMES = frozenset(f.name for f in fields(Figures))


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


def view_filters(view: str, group_filters: dict) -> dict:
    """A group's filters as the page `view` names them."""
    if view == RECOMMENDATIONS:
        return {RECOMMENDATION_PARAMS.get(key, key): value for key, value in group_filters.items()}
    return group_filters


def figure_filters(group_filters: dict, name: str) -> tuple[str, dict]:
    """The page listing the rows of figure `name` of a group (with `group_filters`), and its filters."""
    view, rows = FIGURE_ROWS[name]
    return view, {**view_filters(view, group_filters), **rows}


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
    # HMPPS's row on a region's dashboard counts its actions on the region's inspections only.
    region_filters: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.unit.display_name

    @property
    def filters(self) -> dict:
        return {"unit": self.unit.slug, **self.region_filters}


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
    # The region's actions by month, {month: [created, completed, verified]} (month_counts),
    # for its progress chart; None when the user sees only part of the region, whose chart
    # counts what they see.
    months: dict | None = None

    @property
    def own_units(self) -> list[OrgUnit]:
        """The region's units among the rows: HMPPS's row, for its actions on their inspections, aside."""
        return [row.unit for row in self.units if row.unit.kind not in NATIONAL_KINDS]

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
    # {region pk, or None outside any region: its units' actions by month, {month: [created,
    # completed, verified]} (month_counts)}, for the progress charts: by the unit's own region.
    months_by_region: dict = field(default_factory=dict)

    @property
    def total_group(self) -> FigureGroup:
        return FigureGroup(name="every region", filters={"superseded": CURRENT}, figures=self.total)

    @property
    def superseded_group(self) -> FigureGroup:
        return FigureGroup(name="dissolved bodies", filters={"superseded": SUPERSEDED}, figures=self.superseded)


def _unit_order(unit: OrgUnit):
    # The region's own row first, then its PDUs, then the legacy bodies it took over.
    rank = 0 if unit.kind == UnitKind.REGION else (2 if unit.is_legacy else 1)
    return (rank, unit.name)


def _recommendation_counts(flagged: dict) -> dict:
    """The recommendation figures of {pk: (has_action, ready)}."""
    return {
        "recommendations": len(flagged),
        "without_action": sum(1 for has_action, _ in flagged.values() if not has_action),
        "ready": sum(1 for _, ready in flagged.values() if ready),
    }


def _inspections_of(unit_pks):
    """The inspections a region's figures for `unit_pks` come from: of one of the units, or with
    an action of one or a recommendation to one (HMPPS's answer counts only on the units' own).

    Those the units have written actions, plans or addressees on have a figures version row
    for the unit (recommendations.models.figures): a few hundred rows, where the actions are
    thousands.
    """
    written = FiguresVersion.objects.filter(unit_pk__in=unit_pks).values("inspection_id")
    return Inspection.objects.filter(Q(unit__in=unit_pks) | Q(pk__in=written))


def regional_dashboard(*, user, region: OrgUnit, today: date) -> RegionalDashboard | None:
    """The region's figures by unit and by inspection, as far as the user may see them.

    The region's plan is that of its units and, on their inspections, HMPPS's
    (`answering_for`): HMPPS has a row of its own here, and the national dashboard counts the
    same actions in the region's row. Only live actions count (drafts awaiting sign-off do not).
    None when the user can see nothing of the region.
    """
    # The region's units, each marked seen or not by the user (a PDU leader sees only part of
    # the region), and in the same query HMPPS (and NOMS) for their rows.
    seen = ExpressionWrapper(Q(pk__in=visible_units(user).values("pk")), output_field=BooleanField())
    read = OrgUnit.objects.filter(Q(pk__in=units_in_region(region).values("pk")) | Q(kind__in=NATIONAL_KINDS))
    units, national, partial = [], [], False
    for unit in sorted(read.annotate(seen=seen).select_related("successor"), key=_unit_order):
        if unit.kind in NATIONAL_KINDS:
            national.append(unit)
        elif unit.seen:
            units.append(unit)
        else:
            partial = True
    if not units:
        return None
    unit_pks = [unit.pk for unit in units]
    by_unit = {unit.pk: UnitFigures(unit=unit) for unit in units}
    by_unit |= {unit.pk: UnitFigures(unit=unit, region_filters=_region_filters(region)) for unit in national}
    shown_units, national_pks = set(unit_pks), {unit.pk for unit in national}
    current_pks = {pk for pk, row in by_unit.items() if not row.unit.is_legacy}

    # Every action and recommendation counted here is one the user sees: what `answering_for`
    # the units holds, of units the user sees, is within recommendations.scope's rules.
    inspection_columns = ("pk", "unit_id", "title", "published_on", "next_inspection_expected")
    rows = with_figures_version(_inspections_of(unit_pks)).order_by("pk")
    rows = list(rows.values_list(*inspection_columns, "figures_sum", "figures_rows"))
    parts = inspection_parts({row[0]: row[-2:] for row in rows}, today=today)
    by_inspection: list[InspectionFigures] = []
    by_addressee: dict = {}  # unit pk -> {recommendation pk: flags}
    months: dict = {}
    for pk, inspected_pk, title, published_on, next_expected, *_ in rows:
        action_counts, recommendations, month_rows = parts[pk]
        inspected_here = inspected_pk in shown_units
        # Whose actions count here: the units of the region the user sees and, on an inspection
        # of one of them, HMPPS.
        counted_units = shown_units | national_pks if inspected_here else shown_units
        # The chart counts what the total counts: no dissolved body's actions (see in_figures_of).
        for unit_pk, unit_months in month_rows:
            if unit_pk in counted_units and unit_pk in current_pks:
                add_rows(months, unit_months)
        inspection = InspectionFigures(pk, title, published_on, next_expected, unit_filters=_region_filters(region))
        counted = False
        for unit_pk, counts in action_counts:
            if unit_pk in counted_units:
                by_unit[unit_pk].figures.take_actions(counts)
                if unit_pk in current_pks:
                    inspection.figures.take_actions(counts)
                    counted = True
        flagged = {}  # those addressed to a unit of today: the inspection counts each once
        for recommendation_pk, addressees, *flags in recommendations:
            if not shown_units.intersection(addressees) and not (
                inspected_here and national_pks.intersection(addressees)
            ):
                continue
            for addressee in by_unit.keys() & addressees:
                by_addressee.setdefault(addressee, {})[recommendation_pk] = flags
            if current_pks.intersection(addressees):
                flagged[recommendation_pk] = flags
        if flagged:
            inspection.figures.take(_recommendation_counts(flagged))
        if counted or flagged:
            by_inspection.append(inspection)
    for unit_pk, flagged in by_addressee.items():
        by_unit[unit_pk].figures.take(_recommendation_counts(flagged))

    shown = [
        row for row in by_unit.values() if row.unit.pk in unit_pks or row.figures.actions or row.figures.recommendations
    ]
    total = Figures()
    for inspection in by_inspection:
        total.add(inspection.figures)
    inspections = sorted(
        by_inspection, key=lambda i: (i.published_on is None, i.published_on and -i.published_on.toordinal())
    )
    return RegionalDashboard(
        region=region,
        units=[row for row in shown if not row.unit.is_legacy],
        inspections=inspections,
        total=total,
        partial=partial,
        superseded=[row for row in shown if row.unit.is_legacy],
        months=None if partial else months,
    )


def national_dashboard(*, user, today: date) -> NationalDashboard:
    """Every region's figures, and those of HMPPS and units outside a region: for those who see everything.

    A region's row counts what its own dashboard counts (`answering_region`: HMPPS's actions on
    the region's inspections among them). A recommendation addressed jointly to units of two
    regions counts in each; the total counts it once. Only live actions count.
    """
    if not sees_everything(user):
        raise PermissionDenied("The national dashboard is for national (HMPPS) users.")
    # Every unit with its region, read once: each inspection's actions and recommendations
    # are counted by their unit, and each is given its region (answering_region_of) here.
    units = {unit.pk: unit for unit in OrgUnit.objects.with_region_pk()}
    regions = {pk: RegionFigures(region=unit) for pk, unit in units.items() if unit.kind == UnitKind.REGION}
    outside = RegionFigures(region=None)
    superseded = RegionFigures(region=None)

    def group(region, is_superseded):
        if is_superseded:
            return superseded
        return regions.get(region, outside)

    rows = with_figures_version(Inspection.objects.order_by("pk")).values_list(
        "pk", "unit_id", "figures_sum", "figures_rows"
    )
    rows = list(rows)
    parts = inspection_parts({pk: version for pk, _, *version in rows}, today=today)
    action_counts_of: dict = {}  # id of a row -> (the row, its action counts), added up before they are taken
    by_key: dict = {}  # (region, superseded) -> {pk: flags}, as each key's row counted them
    current: dict = {}  # those addressed to a unit of today, once each
    months_by_region: dict = {}
    for pk, inspected_pk, *_ in rows:
        inspected = units[inspected_pk]
        action_counts, recommendations, month_rows = parts[pk]
        # Each region's chart counts what its row counts: HMPPS's actions on the region's
        # inspections among them, and no dissolved body's (those are counted as superseded).
        for unit_pk, unit_months in month_rows:
            unit = units[unit_pk]
            if not unit.is_legacy:
                add_rows(months_by_region.setdefault(answering_region_of(unit, inspected), {}), unit_months)
        for unit_pk, counts in action_counts:
            unit = units[unit_pk]
            row = group(answering_region_of(unit, inspected), unit.is_legacy)
            add_vector(action_counts_of.setdefault(id(row), (row, [0] * len(ACTION_FIGURES)))[1], counts)
        # Each recommendation once for each addressee (a recommendation with none, once).
        for recommendation_pk, addressees, *flags in recommendations:
            for addressee in addressees or (None,):
                unit = units.get(addressee)
                key = (answering_region_of(unit, inspected), unit.is_legacy if unit else None)
                by_key.setdefault(key, {})[recommendation_pk] = flags
                if unit is not None and not unit.is_legacy:
                    current[recommendation_pk] = flags
    for row, counts in action_counts_of.values():
        row.figures.take_actions(counts)
    for (region, is_superseded), counted in by_key.items():
        group(region, is_superseded).figures.take(_recommendation_counts(counted))

    rows = sorted(regions.values(), key=lambda r: r.region.name)
    if outside.figures.actions or outside.figures.recommendations:
        rows.append(outside)
    total = Figures()
    for row in rows:
        total.add(row.figures)
    # Recommendations once each, however many regions they are addressed to.
    for name, count in _recommendation_counts(current).items():
        setattr(total, name, count)
    return NationalDashboard(
        regions=rows, total=total, superseded=superseded.figures, months_by_region=months_by_region
    )
