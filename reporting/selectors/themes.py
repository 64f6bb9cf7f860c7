"""Recurring themes: what the Inspectorate keeps recommending, and whether earlier actions worked."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from recommendations.models import ActionStatus, OrgUnit, Recommendation, Theme, UnitKind
from recommendations.scope import recommendations_visible_to


def with_outcomes(recommendations):
    """Annotate each recommendation with what became of its actions."""
    return recommendations.annotate(
        actions_total=Count("actions", filter=~Q(actions__status=ActionStatus.CANCELLED), distinct=True),
        actions_completed=Count(
            "actions", filter=Q(actions__status__in=[ActionStatus.COMPLETED, ActionStatus.VERIFIED]), distinct=True
        ),
        actions_verified=Count("actions", filter=Q(actions__status=ActionStatus.VERIFIED), distinct=True),
    )


def current_unit(unit: OrgUnit, units_by_pk: dict) -> OrgUnit:
    """Follow a legacy unit to today's unit that took over its work."""
    seen = set()
    while unit.successor_id and unit.pk not in seen:
        seen.add(unit.pk)
        unit = units_by_pk.get(unit.successor_id, unit)
    return unit


@dataclass
class UnitThread:
    """One unit's recommendations on one theme, oldest first."""

    unit: OrgUnit
    recommendations: list = field(default_factory=list)

    @property
    def inspection_count(self):
        return len({r.inspection_id for r in self.recommendations})

    @property
    def recurs(self):
        return self.inspection_count > 1


@dataclass
class ThemeOverview:
    theme: Theme
    threads: list[UnitThread]

    @property
    def inspections(self):
        """Each inspection in which the theme appears, oldest first."""
        seen, result = set(), []
        for recommendation in sorted(
            (r for t in self.threads for r in t.recommendations), key=lambda r: r.inspection.published_on or 0
        ):
            if recommendation.inspection_id not in seen:
                seen.add(recommendation.inspection_id)
                result.append(recommendation.inspection)
        return result


def themes_overview(user, *, theme: Theme | None = None, unit: OrgUnit | None = None) -> list[ThemeOverview]:
    """Per theme, per current unit, the user's visible recommendations across successive inspections."""
    recommendations = recommendations_visible_to(user)
    if unit is not None:
        units = related_units(unit)
        recommendations = recommendations.filter(Q(addressed_to__in=units) | Q(inspection__unit__in=units))
    themes = Theme.objects.order_by("name")
    if theme is not None:
        themes = themes.filter(pk=theme.pk)
    tagged = with_outcomes(
        Recommendation.objects.filter(pk__in=recommendations.values("pk")).select_related(
            "inspection__unit", "addressed_to"
        )
    ).order_by("inspection__published_on", "inspection_id", "number")
    themes = themes.prefetch_related(Prefetch("recommendations", queryset=tagged, to_attr="visible_recommendations"))
    units_by_pk = {u.pk: u for u in OrgUnit.objects.all()}
    overview = []
    for each in themes:
        threads: dict[int, UnitThread] = {}
        for recommendation in each.visible_recommendations:
            owner = current_unit(units_by_pk[recommendation.addressed_to_id], units_by_pk)
            threads.setdefault(owner.pk, UnitThread(owner)).recommendations.append(recommendation)
        if threads:
            ordered = sorted(threads.values(), key=lambda t: (not t.recurs, t.unit.name))
            overview.append(ThemeOverview(each, ordered))
    return overview


def related_units(unit: OrgUnit) -> set[int]:
    """The unit, the legacy bodies it took over (at any depth), its region and the region's predecessors."""
    start = {unit.pk}
    if unit.kind == UnitKind.PDU and unit.parent_id:
        start.add(unit.parent_id)
    result, frontier = set(start), set(start)
    while frontier:  # predecessors of predecessors: a few levels at most
        frontier = set(OrgUnit.objects.filter(successor__in=frontier).values_list("pk", flat=True)) - result
        result |= frontier
    return result


def earlier_recommendations(user, recommendation) -> list[Recommendation]:
    """Recommendations on the same themes from earlier inspections of this unit or its predecessors."""
    theme_ids = list(recommendation.themes.values_list("pk", flat=True))
    if not theme_ids:
        return []
    units = related_units(recommendation.addressed_to) | related_units(recommendation.inspection.unit)
    published = recommendation.inspection.published_on
    candidates = (
        recommendations_visible_to(user)
        .filter(themes__in=theme_ids)
        .filter(Q(addressed_to__in=units) | Q(inspection__unit__in=units))
        .exclude(inspection_id=recommendation.inspection_id)
    )
    if published:
        candidates = candidates.filter(inspection__published_on__lt=published)
    earlier = (
        with_outcomes(Recommendation.objects.filter(pk__in=candidates.values("pk")))
        .select_related("inspection", "addressed_to")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.filter(pk__in=theme_ids), to_attr="shared_themes"))
        .order_by("-inspection__published_on", "number")
    )
    return list(earlier)
