"""The pages the benchmark measures, who looks at each, and where to find sample objects.

A page whose URL does not exist yet is reported as not available rather than failing
the whole run, so the benchmark can be run while the service grows.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from recommendations.models import Action, ActionStatus, Inspection, OrgUnit, Recommendation, Role, UnitKind, User
from reporting.selectors.themes import earlier_recommendations

LEADER, DIRECTOR, NATIONAL, ADMIN = "PDU leader", "regional director", "national viewer", "administrator"


@dataclass
class Samples:
    """The people and objects the pages are opened for: the busiest PDU and its region."""

    users: dict
    pdu: OrgUnit
    region: OrgUnit
    inspection: Inspection
    recommendation: Recommendation
    action: Action


def find_samples() -> Samples:
    pdu = (
        OrgUnit.objects.filter(kind=UnitKind.PDU)
        .annotate(n=Count("actions"))
        .order_by("-n", "id")
        .select_related("parent")
        .first()
    )
    region = pdu.parent
    users = {
        LEADER: User.objects.filter(unit=pdu, role=Role.PDU_LEADER).order_by("id").first(),
        DIRECTOR: User.objects.filter(unit=region, role=Role.REGIONAL_DIRECTOR).order_by("id").first(),
        NATIONAL: User.objects.filter(role=Role.NATIONAL_VIEWER, can_edit_national_actions=False)
        .order_by("id")
        .first(),
        ADMIN: User.objects.filter(is_superuser=True).order_by("id").first(),
    }
    # The fullest recommendation page: one that lists earlier recommendations on its themes,
    # and of those the one with the most actions (the same choice at any data size).
    candidates = Recommendation.objects.filter(addressed_to=pdu).annotate(n=Count("actions")).order_by("-n", "id")
    recommendation = next((r for r in candidates if earlier_recommendations(users[LEADER], r)), candidates.first())
    # The fullest action page: a verified action (completion and verification shown) with the longest log.
    action = (
        Action.objects.filter(unit=pdu, status=ActionStatus.VERIFIED)
        .annotate(n=Count("updates"))
        .order_by("-n", "id")
        .first()
    )
    inspection = Inspection.objects.filter(unit=pdu).order_by("-published_on", "id").first()
    return Samples(users, pdu, region, inspection, recommendation, action)


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    role: str
    url: Callable  # (Samples, fetch) -> str; raises NoReverseMatch while the page does not exist
    # Lists whose main query the benchmark explains (seq scans, whole-table sorts).
    explain: bool = False


def last_page_url(url: str, fetch) -> str:
    """The last page of a paginated list, read from the first page's pagination links."""
    html = fetch(url)
    pages = [int(n) for n in re.findall(r"[?&;]page=(\d+)", html)]
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}page={max(pages)}" if pages else url


def _plan(samples, fetch, **params):
    url = reverse("recommendations:action_plan")
    query = urlencode(params, doseq=True)
    return f"{url}?{query}" if query else url


# Filters a director typically narrows the regional plan with: one PDU's open actions.
def _plan_filters(samples):
    return {"unit": samples.pdu.slug, "status": ["not_started", "in_progress", "blocked"]}


PAGES = [
    Page("home", "Home (my work)", LEADER, lambda s, f: reverse("recommendations:home")),
    Page("plan", "Action plan, first page", DIRECTOR, _plan, explain=True),
    Page("plan_deep", "Action plan, last page", DIRECTOR, lambda s, f: last_page_url(_plan(s, f), f), explain=True),
    Page(
        "plan_filtered",
        "Action plan, filtered",
        DIRECTOR,
        lambda s, f: _plan(s, f, **_plan_filters(s)),
        explain=True,
    ),
    Page(
        "plan_filtered_deep",
        "Action plan, filtered, last page",
        DIRECTOR,
        lambda s, f: last_page_url(_plan(s, f, **_plan_filters(s)), f),
        explain=True,
    ),
    Page("plan_national", "Action plan, national, first page", NATIONAL, _plan, explain=True),
    Page(
        "plan_national_deep",
        "Action plan, national, last page",
        NATIONAL,
        lambda s, f: last_page_url(_plan(s, f), f),
        explain=True,
    ),
    Page(
        "inspection",
        "Inspection",
        LEADER,
        lambda s, f: reverse("recommendations:inspection_detail", kwargs={"pk": s.inspection.pk}),
    ),
    Page(
        "recommendation",
        "Recommendation",
        LEADER,
        lambda s, f: reverse("recommendations:recommendation_detail", kwargs={"pk": s.recommendation.pk}),
    ),
    Page("action", "Action", LEADER, lambda s, f: reverse("recommendations:action_detail", kwargs={"pk": s.action.pk})),
    Page(
        "dashboard_region",
        "Regional dashboard",
        DIRECTOR,
        lambda s, f: reverse("recommendations:regional_dashboard", kwargs={"slug": s.region.slug}),
    ),
    Page(
        "dashboard_national", "National dashboard", NATIONAL, lambda s, f: reverse("recommendations:national_dashboard")
    ),
    Page(
        "csv_region",
        "CSV export of a region",
        DIRECTOR,
        # A director's plan is their region's: its download is the region's whole plan.
        lambda s, f: reverse("recommendations:action_plan_csv"),
    ),
]
ADMIN_PAGE = Page("admin_actions", "Admin: action changelist", ADMIN, lambda s, f: "/admin/recommendations/action/")


def resolve(page: Page, samples: Samples, fetch) -> str | None:
    try:
        return page.url(samples, fetch)
    except NoReverseMatch:
        return None
