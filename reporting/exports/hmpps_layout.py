"""The action plan in the layout of the document HMPPS submits to the Inspectorate.

A cover ("Action plan submitted … A response to the HM Inspectorate of Probation
inspection: … Report published: …"), the definitions of agreed, partly agreed and not
agreed, then for each inspection a landscape table grouped by addressee:

    Rec. no · Recommendation · Agreed / Partly agreed / Not agreed · Response and actions ·
    Responsible owner · Target date · Status · Derived RAG

with the recommendation's response first and each action a row under it. The Word
document (docx_plan) and the PDF (pdf_plan) are both drawn from this one structure, so
the two always say the same.
"""

from dataclasses import dataclass, field
from datetime import date

from recommendations.models import Inspection

from ..selectors.plan_document import NO_ACTION_YET, PlanDocument

INSPECTORATE = "HM Inspectorate of Probation"

# The terms as HMPPS defines them on its action plans.
RESPONSE_DEFINITIONS = [
    ("Agreed", "All of the recommendation is agreed with, can be achieved and is affordable."),
    (
        "Partly agreed",
        "Only part of the recommendation is agreed with, is achievable, affordable and will be implemented. "
        "The response says which part, and why the rest is not agreed.",
    ),
    ("Not agreed", "The recommendation is not agreed with. The response gives the reason."),
]

TABLE_HEADINGS = [
    "Rec. no",
    "Recommendation",
    "Agreed / Partly agreed / Not agreed",
    "Response and actions",
    "Responsible owner",
    "Target date",
    "Status",
    "Derived RAG",
]


@dataclass
class PlanLine:
    """One row of the table: the response's rationale, one action, or a note that there is no action yet."""

    text: str
    kind: str = "response"  # "response", "action" or "no_action"
    owner: str = ""
    unit: str = ""
    target_date: date | None = None
    original_target_date: date | None = None  # set only when the target date was revised
    status: str = ""
    rag: str = ""
    rag_code: str = ""

    @property
    def is_action(self) -> bool:
        return self.kind == "action"

    @property
    def is_response(self) -> bool:
        return self.kind == "response"


@dataclass
class RecommendationEntry:
    number: int
    text: str
    response: str
    lines: list[PlanLine]


@dataclass
class AddresseeGroup:
    addressee: str
    entries: list[RecommendationEntry] = field(default_factory=list)


@dataclass
class InspectionPart:
    inspection: Inspection
    groups: list[AddresseeGroup] = field(default_factory=list)
    submitted_on: date | None = None  # None: the plan is still a draft
    as_at: date | None = None  # the document's date, printed on a draft

    @property
    def cover_line(self) -> str:
        return f"A response to the {INSPECTORATE} inspection: {self.inspection.title}"

    @property
    def submission_line(self) -> str:
        if self.submitted_on:
            return f"Action plan submitted: {self.submitted_on.day} {self.submitted_on:%B %Y}"
        return f"Action plan not yet submitted: the draft as at {self.as_at.day} {self.as_at:%B %Y}"


@dataclass
class HmppsActionPlan:
    title: str
    subtitle: str
    as_at: date
    parts: list[InspectionPart]
    filters: list[str]
    definitions: list[tuple[str, str]] = field(default_factory=lambda: list(RESPONSE_DEFINITIONS))
    headings: list[str] = field(default_factory=lambda: list(TABLE_HEADINGS))

    @property
    def rows(self) -> int:
        return sum(len(entry.lines) for part in self.parts for group in part.groups for entry in group.entries)


def _lines(recommendation, rows) -> list[PlanLine]:
    lines = []
    if recommendation.response_rationale:
        lines.append(PlanLine(text=recommendation.response_rationale))
    for row in rows:
        if not row["action_id"]:
            continue
        revised = row["original_due_date"] if row["original_due_date"] != row["due_date"] else None
        lines.append(
            PlanLine(
                text=row["action"],
                kind="action",
                owner=row["owner"],
                unit=row["action_unit"],
                target_date=row["due_date"],
                original_target_date=revised,
                status=row["status"],
                rag=row["rag"],
                rag_code=row["rag_code"],
            )
        )
    if not any(line.is_action for line in lines):
        lines.append(PlanLine(text=f"{NO_ACTION_YET}.", kind="no_action"))
    return lines


def hmpps_action_plan(document: PlanDocument) -> HmppsActionPlan:
    """The plan document in HMPPS's layout: by inspection, then by addressee, in the plan's order."""
    # A plan sorted by another column can split a recommendation's rows: gather them again.
    rows_of: dict[int, list[dict]] = {}
    recommendations = {}
    for section in document.sections:
        recommendations.setdefault(section.recommendation.pk, section.recommendation)
        rows_of.setdefault(section.recommendation.pk, []).extend(section.rows)

    parts = {
        inspection.pk: InspectionPart(
            inspection=inspection, submitted_on=document.submitted_on.get(inspection.pk), as_at=document.as_at
        )
        for inspection in document.inspections
    }
    groups: dict[tuple[int, int], AddresseeGroup] = {}
    for pk, rows in rows_of.items():
        recommendation = recommendations[pk]
        part = parts.setdefault(
            recommendation.inspection_id, InspectionPart(inspection=recommendation.inspection, as_at=document.as_at)
        )
        entry = RecommendationEntry(
            number=recommendation.number,
            text=recommendation.text,
            response=rows[0]["response"],
            lines=_lines(recommendation, rows),
        )
        # A recommendation addressed jointly is set out under each of its addressees.
        for addressee in recommendation.addressees_in_order():
            key = (recommendation.inspection_id, addressee.pk)
            if key not in groups:
                groups[key] = AddresseeGroup(addressee=addressee.name)
                part.groups.append(groups[key])
            groups[key].entries.append(entry)
    for group in groups.values():
        group.entries.sort(key=lambda entry: entry.number)
    return HmppsActionPlan(
        title=document.title,
        subtitle=document.subtitle,
        as_at=document.as_at,
        parts=[part for part in parts.values() if part.groups],
        filters=document.filters,
    )
