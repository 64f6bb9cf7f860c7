"""The regional and national dashboards: figures by unit, inspection and region.

Who sees what comes from recommendations.scope: a director sees their region, a
national viewer every region, a PDU leader the figures of their own PDU within their
region's dashboard. A region the user can see nothing of is 'not found'.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..models import OrgUnit, UnitKind
from ..scope import sees_everything, units_seen_in, visible_units
from ..selectors.challenges import open_challenge_count
from ..selectors.dashboards import national_dashboard as national_figures
from ..selectors.dashboards import regional_dashboard as regional_figures
from ..selectors.needs_attention import SHOWN_PER_UNIT, needs_attention


@login_required
@require_safe
def dashboard(request):
    """The dashboard a user starts from: national for HMPPS, otherwise their own region's."""
    if sees_everything(request.user):
        return redirect("recommendations:national_dashboard")
    region = request.user.unit.region if request.user.unit_id else None
    if region is None:
        raise Http404("You do not belong to a region.")
    return redirect("recommendations:regional_dashboard", slug=region.slug)


@login_required
@require_safe
def regional_dashboard(request, slug):
    region = get_object_or_404(OrgUnit, slug=slug, kind=UnitKind.REGION)
    today = timezone.localdate()
    figures = regional_figures(user=request.user, region=region, today=today)
    if figures is None:
        raise Http404("No such region.")
    # A PDU leader sees their own unit's part of the region: its progress and measures.
    shown_unit = figures.own_units[0] if figures.partial and len(figures.own_units) == 1 else region
    context = {
        "region": region,
        "dashboard": figures,
        "today": today,
        "shown_unit": shown_unit,
        "open_challenges": open_challenge_count(units=units_seen_in(request.user, region)),
        "needs_attention": needs_attention(units=figures.own_units, today=today),
        "attention_shown": SHOWN_PER_UNIT,
        "stale_days": settings.RAG_STALE_AFTER_DAYS,
    }
    return render(request, "dashboards/regional.html", context)


@login_required
@require_safe
def national_dashboard(request):
    if not sees_everything(request.user):
        raise PermissionDenied("The national dashboard is for national (HMPPS) users.")
    today = timezone.localdate()
    context = {
        "dashboard": national_figures(user=request.user, today=today),
        "today": today,
        # Measures of impact of every unit the user sees, across regions.
        "measure_units": visible_units(request.user),
        "open_challenges": open_challenge_count(units=units_seen_in(request.user)),
    }
    return render(request, "dashboards/national.html", context)
