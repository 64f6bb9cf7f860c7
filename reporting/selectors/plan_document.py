"""The action plan as a document: its title, the inspections it answers and its rows.

The same rows feed the spreadsheet, the CSV and the printed PDF, so the three always
agree. Queries are constant in the number of actions: the latest update and the
evidence count are annotated, not fetched action by action.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from recommendations.models import Inspection, OrgUnit, ProgressUpdate, Recommendation, Response

# Column headings, in the order of the Inspectorate's action plan template.
COLUMNS = [
    ("inspection", "Inspection"),
    ("recommendation_number", "Recommendation number"),
    ("recommendation", "Recommendation"),
    ("addressed_to", "Addressed to"),
    ("response", "Response"),
    ("action", "Action"),
    ("action_unit", "Unit"),
    ("owner", "Owner"),
    ("original_due_date", "Original due date"),
    ("due_date", "Due date"),
    ("status", "Status"),
    ("self_rag", "Self-assessed RAG"),
    ("rag", "RAG"),
    ("latest_update", "Latest update"),
    ("latest_update_on", "Latest update date"),
    ("evidence_count", "Evidence count"),
    ("verified", "Verified by"),
]

NO_ACTION_YET = "No action recorded yet"


@dataclass
class RecommendationSection:
    recommendation: Recommendation
    rows: list[dict] = field(default_factory=list)

    @property
    def has_actions(self):
        return any(row["action_id"] for row in self.rows)


@dataclass
class PlanDocument:
    title: str
    subtitle: str
    as_at: date
    inspections: list[Inspection]
    sections: list[RecommendationSection]

    @property
    def rows(self) -> list[dict]:
        return [row for section in self.sections for row in section.rows]

    @property
    def action_count(self):
        return sum(1 for row in self.rows if row["action_id"])


def units_covered(unit: OrgUnit):
    """A unit's own plan covers it, the units under it and the legacy bodies it took over."""
    return OrgUnit.objects.filter(Q(pk=unit.pk) | Q(parent=unit) | Q(successor=unit))


def plan_querysets(*, recommendations, actions, unit: OrgUnit | None = None, inspection: Inspection | None = None):
    """Narrow already-scoped querysets to one unit's or one inspection's plan."""
    if inspection is not None:
        recommendations = recommendations.filter(inspection=inspection)
    if unit is not None:
        units = units_covered(unit)
        recommendations = recommendations.filter(Q(addressed_to__in=units) | Q(inspection__unit__in=units))
    return recommendations, actions.filter(recommendation__in=recommendations)


def _local_date(value: datetime | None):
    return timezone.localtime(value).date() if value else None


def _action_row(recommendation, action, *, today) -> dict:
    base = {
        "inspection": str(recommendation.inspection),
        "inspection_id": recommendation.inspection_id,
        "recommendation_id": recommendation.pk,
        "recommendation_number": recommendation.number,
        "recommendation": recommendation.text,
        "addressed_to": recommendation.addressed_to.name,
        "response": recommendation.get_response_display() if recommendation.response else Response.AWAITING.label,
        "action_id": None,
        "action": NO_ACTION_YET,
        "action_unit": "",
        "owner": "",
        "original_due_date": None,
        "due_date": None,
        "status": "",
        "status_code": "",
        "self_rag": "",
        "rag": "",
        "rag_code": "",
        "latest_update": "",
        "latest_update_on": None,
        "evidence_count": 0,
        "verified": "",
    }
    if action is None:
        return base
    derived = action.derived_rag(today=today, has_evidence=action.current_evidence_count > 0)
    verified = ""
    if action.verified_at:
        verified = f"{action.verified_by} on {_local_date(action.verified_at):%d %b %Y}"
    return base | {
        "action_id": action.pk,
        "action": action.description,
        "action_unit": action.unit.display_name,
        "owner": str(action.owner) if action.owner else "Not assigned",
        "original_due_date": action.original_due_date,
        "due_date": action.due_date,
        "status": action.get_status_display(),
        "status_code": action.status,
        "self_rag": action.get_self_rag_display() if action.self_rag else "",
        "rag": derived.capitalize() if derived else "Not rated",
        "rag_code": derived,
        "latest_update": action.latest_narrative or "",
        "latest_update_on": _local_date(action.latest_update_at),
        "evidence_count": action.current_evidence_count,
        "verified": verified,
    }


def build_plan_document(
    *, recommendations, actions, title: str, subtitle: str = "", today: date | None = None, include_empty=True
) -> PlanDocument:
    """One row per action under its recommendation, and one for each recommendation with no action yet.

    `include_empty` is off when the rows are filtered by something only actions have
    (status, owner, RAG): a recommendation with no action cannot match such a filter.
    """
    today = today or timezone.localdate()
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-id")
    action_list = list(
        actions.select_related("owner", "unit", "verified_by")
        .annotate(
            current_evidence_count=Count("evidence", filter=Q(evidence__withdrawn_at__isnull=True), distinct=True),
            latest_narrative=Subquery(latest.values("narrative")[:1]),
            latest_update_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("recommendation_id", "due_date", "id")
    )
    by_recommendation: dict[int, list] = {}
    for action in action_list:
        by_recommendation.setdefault(action.recommendation_id, []).append(action)

    recommendation_ids = set(by_recommendation)
    rec_queryset = Recommendation.objects.filter(
        Q(pk__in=recommendations.values("pk")) if include_empty else Q(pk__in=recommendation_ids)
    )
    recommendation_list = list(
        rec_queryset.select_related("inspection", "addressed_to").order_by(
            "-inspection__published_on", "inspection_id", "number"
        )
    )
    sections = []
    for recommendation in recommendation_list:
        section = RecommendationSection(recommendation)
        actions_here = by_recommendation.get(recommendation.pk) or [None]
        section.rows = [_action_row(recommendation, action, today=today) for action in actions_here]
        sections.append(section)

    inspection_ids = {r.inspection_id for r in recommendation_list}
    inspections = list(
        Inspection.objects.filter(pk__in=inspection_ids)
        .select_related("unit")
        .prefetch_related(Prefetch("standard_ratings"))
        .order_by("-published_on", "title")
    )
    return PlanDocument(title=title, subtitle=subtitle, as_at=today, inspections=inspections, sections=sections)


def document_title(*, unit: OrgUnit | None, inspection: Inspection | None, user=None) -> tuple[str, str]:
    """The title and subtitle printed at the top of every export."""
    if inspection is not None:
        return f"Action plan: {inspection.title}", inspection.unit.name
    if unit is not None:
        return f"Action plan: {unit.name}", unit.get_kind_display()
    if user is not None and getattr(user, "unit", None) is not None:
        return f"Action plan: {user.unit.name}", "All recommendations you can see"
    return "Action plan: all units", "All recommendations"


__all__ = [
    "COLUMNS",
    "NO_ACTION_YET",
    "PlanDocument",
    "RecommendationSection",
    "build_plan_document",
    "document_title",
    "plan_querysets",
    "units_covered",
]
