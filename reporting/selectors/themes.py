"""Recurring themes: what the Inspectorate keeps recommending, and whether earlier actions worked."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from recommendations.models import ActionStatus, OrgUnit, Recommendation, Theme, UnitKind
from recommendations.scope import recommendations_visible_to, visible_units


def with_outcomes(recommendations):
    """Annotate each recommendation with what became of its actions."""
    return recommendations.annotate(
        actions_total=Count("actions", filter=~Q(actions__status=ActionStatus.CANCELLED), distinct=True),
        actions_completed=Count(
            "actions", filter=Q(actions__status__in=[ActionStatus.COMPLETED, ActionStatus.VERIFIED]), distinct=True
        ),
        actions_verified=Count("actions", filter=Q(actions__status=ActionStatus.VERIFIED), distinct=True),
    )


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


def lineage(unit: OrgUnit, units: list[OrgUnit]) -> set[int]:
    """The unit, the legacy bodies it took over (at any depth), its region and the region's predecessors.

    What the Inspectorate said to any of these is part of the unit's history on a theme:
    the 2016 recommendations to the CRC are Derbyshire PDU's history as much as the region's.
    """
    start = {unit.pk}
    if unit.kind == UnitKind.PDU and unit.parent_id:
        start.add(unit.parent_id)
    result, frontier = set(start), set(start)
    while frontier:
        frontier = {u.pk for u in units if u.successor_id in frontier} - result
        result |= frontier
    return result


def themes_overview(user, *, theme: Theme | None = None, unit: OrgUnit | None = None) -> list[ThemeOverview]:
    """Per theme, per unit in the user's scope, the recommendations in that unit's history, oldest first.

    A unit's history is what was addressed to it, to the bodies it took over or to its
    region, and whatever came out of its own inspections. Queries are fixed in number.
    """
    all_units = list(OrgUnit.objects.all())
    reporting_units = [u for u in all_units if not u.is_legacy and u.kind != UnitKind.NOMS]
    visible = set(visible_units(user).values_list("pk", flat=True))
    candidates = [u for u in reporting_units if u.pk in visible and (unit is None or u.pk == unit.pk)]
    lineages = {u.pk: lineage(u, all_units) for u in candidates}

    themes = Theme.objects.order_by("name")
    if theme is not None:
        themes = themes.filter(pk=theme.pk)
    tagged = with_outcomes(
        Recommendation.objects.filter(pk__in=recommendations_visible_to(user).values("pk")).select_related(
            "inspection__unit", "addressed_to"
        )
    ).order_by("inspection__published_on", "inspection_id", "number")
    themes = themes.prefetch_related(Prefetch("recommendations", queryset=tagged, to_attr="visible_recommendations"))
    overview = []
    for each in themes:
        threads = []
        for candidate in sorted(candidates, key=lambda u: (u.kind != UnitKind.PDU, u.name)):
            mine = [
                r
                for r in each.visible_recommendations
                if r.addressed_to_id in lineages[candidate.pk] or r.inspection.unit_id == candidate.pk
            ]
            if mine:
                threads.append(UnitThread(candidate, mine))
        if threads:
            threads.sort(key=lambda t: not t.recurs)  # recurring first, otherwise in order
            overview.append(ThemeOverview(each, threads))
    return overview


def _in_lineage(field: str, unit_ids: set[int]) -> Q:
    """`field` is one of these units or a legacy body taken over by one of them (up to three hand-overs deep)."""
    return (
        Q(**{f"{field}__in": unit_ids})
        | Q(**{f"{field}__successor__in": unit_ids})
        | Q(**{f"{field}__successor__successor__in": unit_ids})
        | Q(**{f"{field}__successor__successor__successor__in": unit_ids})
    )


def _roots(unit: OrgUnit) -> set[int]:
    """The unit and, for a PDU, its region: their predecessors are found by the query itself."""
    return {unit.pk, unit.parent_id} if unit.kind == UnitKind.PDU and unit.parent_id else {unit.pk}


def earlier_recommendations(user, recommendation) -> list[Recommendation]:
    """Recommendations on the same themes from earlier inspections of this unit, its predecessors or its region.

    Three queries: the candidates (with their outcomes), and the themes they share. A
    recommendation page that has loaded its themes as `theme_list` saves one more.
    """
    themes = getattr(recommendation, "theme_list", None)
    theme_ids = (
        [t.pk for t in themes] if themes is not None else list(recommendation.themes.values_list("pk", flat=True))
    )
    if not theme_ids:
        return []
    roots = _roots(recommendation.addressed_to) | _roots(recommendation.inspection.unit)
    candidates = (
        recommendations_visible_to(user)
        .filter(themes__in=theme_ids)
        .filter(_in_lineage("addressed_to", roots) | Q(inspection__unit__in=roots))
        .exclude(inspection_id=recommendation.inspection_id)
    )
    published = recommendation.inspection.published_on
    if published:
        candidates = candidates.filter(inspection__published_on__lt=published)
    # The outcomes are counted on the candidates themselves, not on `pk__in` a subquery of
    # them: PostgreSQL planned that as counting every action in the country first.
    earlier = (
        with_outcomes(candidates)
        .select_related("inspection", "addressed_to")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.filter(pk__in=theme_ids), to_attr="shared_themes"))
        .order_by("-inspection__published_on", "number")
    )
    return list(earlier)
