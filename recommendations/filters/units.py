"""Filters by the groups of units a dashboard counts together: a region, and today's units or dissolved ones.

A dashboard's figures for a region (or for the units outside any region), and its totals that
leave out the bodies dissolved in June 2021, link to the plan and the recommendations list
with these parameters. Each narrows by the OrgUnit QuerySet method the dashboard groups with
(recommendations.selectors.dashboards), through the unit of an action or the addressee of a
recommendation.
"""

import django_filters
from django.db.models import Exists, OuterRef, Subquery

from ..models import OrgUnit, Recommendation, UnitKind

OUTSIDE_REGIONS = "outside"
OUTSIDE_REGIONS_LABEL = "HMPPS and units outside a region"
CURRENT, SUPERSEDED = "no", "yes"
SUPERSEDED_CHOICES = [(CURRENT, "Today's units only"), (SUPERSEDED, "Dissolved bodies only")]


def units_of_region(value: str):
    """The units counted under the region with slug `value`, or outside every region."""
    if value == OUTSIDE_REGIONS:
        return OrgUnit.objects.outside_regions()
    return OrgUnit.objects.in_region(OrgUnit.objects.filter(kind=UnitKind.REGION, slug=value).values("pk")[:1])


def units_by_superseded(value: str):
    """Today's units ("no") or the bodies dissolved in June 2021 ("yes")."""
    return OrgUnit.objects.legacy() if value == SUPERSEDED else OrgUnit.objects.current()


# Each parameter naming a group of units, and the units it names.
UNIT_GROUPS = {"region": units_of_region, "superseded": units_by_superseded}


def region_choices(units, *, outside: bool, known=None):
    """The regions of `units` (a user's visible units), as (slug, name); and "outside" when asked.

    `known`: those regions already read with the units (recommendations.scope.Scope.regions), or None.
    """
    if known is None:
        regions = OrgUnit.objects.filter(kind=UnitKind.REGION).filter(
            Exists(units.with_region_pk().filter(region_pk=OuterRef("pk")))
        )
        known = [(slug, name) for slug, name in regions.order_by("name").values_list("slug", "name")]
    return [*known, (OUTSIDE_REGIONS, OUTSIDE_REGIONS_LABEL)] if outside else known


def narrow_to_group(queryset, group: str, value: str):
    """Actions or recommendations counted in the group named: a region's as its dashboard counts them
    (HMPPS's on its inspections among them: `in_answering_region`), or today's units' or dissolved bodies'."""
    if group == "region":
        if value == OUTSIDE_REGIONS:
            return queryset.in_answering_region(None)
        return queryset.in_answering_region(
            Subquery(OrgUnit.objects.filter(kind=UnitKind.REGION, slug=value).values("pk")[:1])
        )
    units = UNIT_GROUPS[group](value).values("pk")
    if queryset.model is Recommendation:
        return queryset.addressed_to_any(units)
    return queryset.filter(unit__in=units)


class UnitGroupFilter(django_filters.ChoiceFilter):
    """Rows whose `field_name` (an action's unit, a recommendation's addressee) is in the group named."""

    def __init__(self, *args, group: str, **kwargs):
        self.group = group
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        return narrow_to_group(qs, self.group, value)


def region_filter(field_name: str) -> UnitGroupFilter:
    """Choices are set by the FilterSet, from the user's units (region_choices)."""
    return UnitGroupFilter(label="Region", field_name=field_name, group="region", choices=[], empty_label="Any")


def superseded_filter(field_name: str) -> UnitGroupFilter:
    return UnitGroupFilter(
        label="Today's units or dissolved bodies",
        field_name=field_name,
        group="superseded",
        choices=SUPERSEDED_CHOICES,
        empty_label="Both",
    )
