"""The action plan as a document: its title, the inspections it answers and its rows.

The rows are the action plan page's own (recommendations.selectors.action_plan: the
user's scope and the page's filters), so a download always matches what the page shows.
The spreadsheet and the PDF add what a printed plan needs and the page's table does not:
the latest update's words, who verified each action, the response's rationale and the
inspections' ratings. Those come in a fixed number of further queries.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from recommendations.models import (
    RAG,
    Action,
    Inspection,
    OrgUnit,
    PlanState,
    ProgressUpdate,
    Recommendation,
    Response,
    ResponsePlan,
)
from recommendations.models.choices import NO_ACTION, PLAN_STATUS_CHOICES
from recommendations.selectors.action_plan import action_plan

NO_ACTION_YET = "No action recorded yet"
_STATUS_LABELS = dict(PLAN_STATUS_CHOICES)
_RAG_LABELS = dict(RAG.choices)
_RESPONSE_LABELS = dict(Response.choices)


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
    plan_rows: list[dict]  # the page's rows as they are, for the CSV writer
    filters: list[str] = field(default_factory=list)  # e.g. ["Status: Blocked"], printed under the title
    # When each inspection's plan was submitted (inspection pk → date); absent while still a draft.
    submitted_on: dict[int, date] = field(default_factory=dict)

    @property
    def rows(self) -> list[dict]:
        return [row for section in self.sections for row in section.rows]

    @property
    def action_count(self):
        return sum(1 for row in self.rows if row["action_id"])


def units_covered(unit: OrgUnit):
    """A unit's own plan covers it, the units under it and the legacy bodies it took over."""
    return OrgUnit.objects.under(unit)


def _action_details(action_ids):
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-id")
    actions = (
        Action.objects.filter(pk__in=action_ids)
        .select_related("unit", "verified_by")
        .annotate(latest_narrative=Subquery(latest.values("narrative")[:1]))
    )
    return {action.pk: action for action in actions}


def _document_row(plan_row: dict, recommendation: Recommendation, action: Action | None) -> dict:
    verified = ""
    if action is not None and action.verified_at:
        verified = f"{action.verified_by} on {timezone.localtime(action.verified_at):%d %b %Y}"
        if action.verified_before_service:
            verified += " (before this service, imported)"
    latest_on = plan_row["latest_update"]
    has_action = plan_row["action_pk"] is not None
    return {
        "inspection": str(recommendation.inspection),
        "inspection_id": plan_row["inspection_pk"],
        "recommendation_id": plan_row["rec_pk"],
        "recommendation_number": plan_row["rec_number"],
        "recommendation": plan_row["rec_text"],
        "addressed_to": recommendation.addressee_names,
        "response": _RESPONSE_LABELS.get(plan_row["rec_response"], Response.AWAITING.label) or Response.AWAITING.label,
        "action_id": plan_row["action_pk"],
        "action": plan_row["action_text"] if has_action else NO_ACTION_YET,
        "action_unit": action.unit.display_name if action else "",
        "owner": (plan_row["owner_name"] or "Not assigned") if has_action else "",
        "original_due_date": plan_row["due_original"],
        "due_date": plan_row["due_current"],
        "status": _STATUS_LABELS.get(plan_row["plan_status"], "") if plan_row["plan_status"] != NO_ACTION else "",
        "status_code": plan_row["plan_status"] if has_action else "",
        "self_rag": _RAG_LABELS.get(plan_row["rag_self"], ""),
        "rag": (_RAG_LABELS.get(plan_row["rag_derived"]) or "Not rated") if has_action else "",
        "rag_code": plan_row["rag_derived"] or "",
        "latest_update": (action.latest_narrative or "") if action else "",
        "latest_update_on": timezone.localtime(latest_on).date() if latest_on else None,
        "evidence_count": plan_row["evidence_count"],
        "verified": verified,
    }


def _filters_applied(filterset) -> list[str]:
    if not filterset.form.is_valid():
        return []
    applied = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        bound = filterset.form[name]
        if isinstance(value, list | tuple):
            choices = dict(bound.field.choices)
            value = ", ".join(str(choices.get(v, v)) for v in value)
        elif isinstance(value, date):
            value = f"{value:%d %B %Y}"
        applied.append(f"{bound.label}: {value}")
    return applied


def plan_document(
    *,
    user=None,
    params=None,
    unit: OrgUnit | None = None,
    inspection: Inspection | None = None,
    today: date | None = None,
) -> PlanDocument:
    """The plan in `user`'s scope (everything for None), for one unit or inspection, narrowed by `params`.

    `params` are the action plan page's GET filters, so a download matches the page.
    """
    today = today or timezone.localdate()
    params = params.copy() if params is not None else {}
    if inspection is not None:
        params["inspection"] = str(inspection.pk)
    result = action_plan(user=user, today=today, params=params, units=units_covered(unit) if unit is not None else None)
    plan_rows = list(result.rows())

    recommendations = {
        r.pk: r
        for r in Recommendation.objects.filter(pk__in={row["rec_pk"] for row in plan_rows})
        .select_related("inspection", "addressed_to")
        .prefetch_related("addressees")
    }
    actions = _action_details({row["action_pk"] for row in plan_rows if row["action_pk"]})
    sections: list[RecommendationSection] = []
    for row in plan_rows:
        recommendation = recommendations[row["rec_pk"]]
        if not sections or sections[-1].recommendation.pk != recommendation.pk:
            sections.append(RecommendationSection(recommendation))
        sections[-1].rows.append(_document_row(row, recommendation, actions.get(row["action_pk"])))

    inspections = list(
        Inspection.objects.filter(pk__in={r.inspection_id for r in recommendations.values()})
        .select_related("unit")
        .prefetch_related(Prefetch("standard_ratings"))
        .order_by("-published_on", "title")
    )
    chosen = result.filterset.form.cleaned_data if result.filterset.form.is_valid() else {}
    title, subtitle = document_title(
        unit=unit or chosen.get("unit"), inspection=inspection or chosen.get("inspection"), user=user
    )
    return PlanDocument(
        title=title,
        subtitle=subtitle,
        as_at=today,
        inspections=inspections,
        sections=sections,
        plan_rows=plan_rows,
        filters=_filters_applied(result.filterset),
        submitted_on=submission_dates([inspection.pk for inspection in inspections]),
    )


def submission_dates(inspection_ids) -> dict[int, date]:
    """The day each inspection's response plans were last submitted (or approved, when entered as approved).

    A plan still in draft, or returned, has no date: it has not been sent.
    """
    sent = Coalesce("submitted_at", "approved_at")
    rows = (
        ResponsePlan.objects.filter(inspection__in=inspection_ids, state__in=[PlanState.SUBMITTED, PlanState.APPROVED])
        .order_by()
        .values("inspection_id")
        .annotate(latest=Max(sent))
    )
    return {row["inspection_id"]: timezone.localtime(row["latest"]).date() for row in rows if row["latest"]}


def document_title(*, unit: OrgUnit | None, inspection: Inspection | None, user=None) -> tuple[str, str]:
    """The title and subtitle printed at the top of every export."""
    if inspection is not None:
        return f"Action plan: {inspection.title}", inspection.unit.name
    if unit is not None:
        return f"Action plan: {unit.name}", unit.get_kind_display()
    if user is not None and getattr(user, "unit", None) is not None:
        return f"Action plan: {user.unit.name}", "Every recommendation you can see"
    return "Action plan: all units", "Every recommendation"
