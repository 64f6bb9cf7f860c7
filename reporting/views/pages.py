"""Reporting pages: the reports index, a unit's progress over time, and recurring themes."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from recommendations.models import OrgUnit, Theme, UnitKind
from recommendations.scope import actions_visible_to, visible_units

from ..selectors.plan_document import units_covered
from ..selectors.progress import progress_by_month, progress_chart
from ..selectors.themes import themes_overview

# Units with a plan of their own to report on: regions and PDUs (legacy bodies report through their successor).
REPORTING_KINDS = [UnitKind.NATIONAL, UnitKind.REGION, UnitKind.PDU]


def _reporting_units(user):
    return visible_units(user).filter(kind__in=REPORTING_KINDS, is_legacy=False).order_by("kind", "name")


@login_required
@require_GET
def reports_index(request):
    units = list(_reporting_units(request.user).exclude(kind=UnitKind.NATIONAL))
    return render(request, "reporting/index.html", {"units": units})


@login_required
@require_GET
def progress(request, slug):
    unit = get_object_or_404(_reporting_units(request.user), slug=slug)
    covered = units_covered(unit)
    actions = actions_visible_to(request.user).in_figures_of(unit)
    months = progress_by_month(actions, today=timezone.localdate())
    return render(
        request,
        "reporting/progress.html",
        {
            "unit": unit,
            "months": months,
            "chart": progress_chart(unit, months),
            "covered": covered,
        },
    )


@login_required
@require_GET
def themes(request):
    user = request.user
    theme = Theme.objects.filter(slug=request.GET.get("theme") or None).first()
    unit = visible_units(user).filter(slug=request.GET.get("unit") or None).first()
    return render(
        request,
        "reporting/themes.html",
        {
            "overview": themes_overview(user, theme=theme, unit=unit),
            "themes": Theme.objects.filter(recommendations__isnull=False).distinct().order_by("name"),
            "units": OrgUnit.objects.filter(pk__in=_reporting_units(user).values("pk")).order_by("name"),
            "chosen_theme": theme,
            "chosen_unit": unit,
        },
    )
