"""From a report file to inspections in the database: plan first (read only), then load.

``plan_report_import`` reads the file, extracts what it says and matches the units it names,
writing nothing. ``load_report`` writes everything the plan holds in one transaction, or
nothing: a report already recorded is detected and left as it is.
"""

import difflib
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from .. import services
from ..models import Inspection, KeyQuestionResult, OrgUnit, StandardRating
from ..models.choices import InspectionKind, UnitKind
from .extraction import ExtractedInspection, ExtractedReport, extract_report
from .matching import UnitMatcher, UnitProposal, normalise
from .reading import Line, UnreadableReport, report_lines
from .rules import Found

# The source of a date typed in by whoever imports the report.
ENTERED = Line(0, "entered at import")

TITLE_PREFIX = {
    InspectionKind.PDU: "An inspection of probation services: ",
    InspectionKind.REGIONAL_REVIEW: "Regional review: ",
    InspectionKind.QUALITY_IMPACT: "Quality & Impact inspection: ",
}
LOCAL_LEGACY_KINDS = (UnitKind.CRC, UnitKind.NPS_DIVISION)


class ReportImportError(ValueError):
    """The report cannot be loaded as it stands; ``problems`` say why in plain words."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


@dataclass
class PlannedInspection:
    extracted: ExtractedInspection
    unit: OrgUnit | UnitProposal | None = None
    addressees: dict[int, list] = field(default_factory=dict)
    duplicate_of: Inspection | None = None

    @property
    def title(self) -> str:
        if self.extracted.kind == InspectionKind.QUALITY_IMPACT:
            return TITLE_PREFIX[self.extracted.kind] + (self.extracted.area.value or "")
        return TITLE_PREFIX[self.extracted.kind] + (self.unit.name if self.unit else "")


@dataclass
class ImportPlan:
    source_name: str
    report: ExtractedReport | None = None
    inspections: list[PlannedInspection] = field(default_factory=list)
    proposals: list[UnitProposal] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def already_imported(self) -> bool:
        return bool(self.inspections) and all(planned.duplicate_of for planned in self.inspections)

    @property
    def can_load(self) -> bool:
        return not self.problems and not self.already_imported

    @property
    def needs_publication_date(self) -> bool:
        """The report does not say on which day it was published (a month only, or a date it
        contradicts): it is asked for, never guessed."""
        return any(not planned.extracted.published_on for planned in self.inspections if not planned.duplicate_of)


PUBLICATION_DATE_NEEDED = (
    "Could not find the day of publication: enter the date the report was published "
    "(the preview shows what the report says)."
)


def plan_report_import(data: bytes, filename: str, *, published_on: date | None = None) -> ImportPlan:
    """What importing this file would do (nothing is written). ``published_on``: the date of
    publication entered by whoever imports it, for a report that gives only the month."""
    plan = ImportPlan(source_name=filename)
    try:
        lines = report_lines(data, filename)
    except UnreadableReport as exc:
        plan.problems.append(str(exc))
        return plan
    plan.report = report = extract_report(lines)
    plan.problems.extend(report.problems)
    if published_on:
        for extracted in report.inspections:
            extracted.published_on = Found(published_on, ENTERED)
    matcher = UnitMatcher(report.text)
    for extracted in report.inspections:
        plan.inspections.append(_plan_inspection(extracted, matcher, plan.problems))
    plan.proposals = matcher.proposals
    return plan


def _plan_inspection(extracted: ExtractedInspection, matcher: UnitMatcher, problems: list[str]) -> PlannedInspection:
    planned = PlannedInspection(extracted)
    region = None
    if extracted.region:
        region = (matcher.find_or_propose(extracted.region.value) or [None])[0]
    for rec in extracted.recommendations:
        units = matcher.find_or_propose(rec.addressee.value, region=region)
        if units is None:
            problems.append(
                f"Could not find the unit “{rec.addressee.value}” (line {rec.addressee.line.number}) and cannot "
                "tell where it belongs: add it in the admin (Organisation units), then import again."
            )
            units = []
        planned.addressees[rec.number] = units
    if extracted.kind == InspectionKind.QUALITY_IMPACT:
        planned.unit = _area_unit(planned)
        if planned.unit is None:
            problems.append(
                "Could not find which unit now covers the area inspected: none of the legacy bodies "
                "the recommendations are addressed to has a successor."
            )
    elif extracted.unit:
        planned.unit = (matcher.find_or_propose(extracted.unit.value, region=region) or [None])[0]
        if planned.unit is None:
            problems.append(
                f"Could not find the unit “{extracted.unit.value}” (line {extracted.unit.line.number}) and cannot "
                "tell where it belongs: add it in the admin (Organisation units), then import again."
            )
    else:
        problems.append("Could not find which unit was inspected: the cover names no PDU or region.")
    if isinstance(planned.unit, OrgUnit):
        planned.duplicate_of = already_recorded(planned.unit, extracted)
    return planned


def _area_unit(planned: PlannedInspection):
    """An area inspected before unification is recorded against the unit that took over the
    local bodies the report addresses (the CRC and the NPS division)."""
    successors = {
        unit.successor
        for units in planned.addressees.values()
        for unit in units
        if isinstance(unit, OrgUnit) and unit.kind in LOCAL_LEGACY_KINDS and unit.successor
    }
    return successors.pop() if len(successors) == 1 else None


def same_wording(first: str, second: str) -> bool:
    """Two printings of one recommendation (the letter's annexe and the report differ in commas)."""
    return difflib.SequenceMatcher(None, normalise(first), normalise(second)).ratio() >= 0.9


def already_recorded(unit: OrgUnit, extracted: ExtractedInspection) -> Inspection | None:
    """An inspection of the same unit and kind with the same recommendations (or, with none,
    the same publication date): the report, or another printing of it, is already in."""
    candidates = Inspection.objects.filter(unit=unit, kind=extracted.kind).prefetch_related("recommendations")
    for candidate in candidates:
        if extracted.recommendations:
            existing = {rec.number: rec.text for rec in candidate.recommendations.all()}
            if len(existing) == len(extracted.recommendations) and all(
                same_wording(existing.get(rec.number, ""), rec.text) for rec in extracted.recommendations
            ):
                return candidate
        elif extracted.published_on and candidate.published_on == extracted.published_on.value:
            return candidate
    return None


@transaction.atomic
def load_report(*, plan: ImportPlan, accept_new_units: bool, by=None) -> list[Inspection]:
    """Create the plan's units (when accepted), inspections, ratings, key questions and
    recommendations, all or nothing. Returns the inspections created (none when the report
    was already recorded)."""
    if plan.problems:
        raise ReportImportError(plan.problems)
    if plan.needs_publication_date:
        raise ReportImportError([PUBLICATION_DATE_NEEDED])
    if plan.proposals and not accept_new_units:
        names = ", ".join(proposal.name for proposal in plan.proposals)
        raise ReportImportError([f"The report names units that do not exist yet ({names}): confirm them to import."])
    units = {}
    for proposal in plan.proposals:
        units[id(proposal)] = _create_unit(proposal, units, by)
    created, related = [], []
    for planned in plan.inspections:
        if isinstance(planned.unit, OrgUnit):
            # Checked again inside the transaction: someone may have imported it meanwhile.
            planned.duplicate_of = already_recorded(planned.unit, planned.extracted)
        if planned.duplicate_of:
            related.append(planned.duplicate_of)
            continue
        inspection = _create_inspection(planned, plan.source_name, units, by)
        created.append(inspection)
        related.append(inspection)
    reviews = [i for i in created if i.kind == InspectionKind.REGIONAL_REVIEW]
    for review in reviews:
        review.related_inspections.add(*(i for i in related if i.kind == InspectionKind.PDU))
    return created


def _unit(unit_or_proposal, units):
    return units[id(unit_or_proposal)] if isinstance(unit_or_proposal, UnitProposal) else unit_or_proposal


def _create_unit(proposal: UnitProposal, units, by) -> OrgUnit:
    unit = OrgUnit(
        name=proposal.name,
        short_name=proposal.short_name,
        slug=proposal.slug,
        kind=proposal.kind,
        parent=_unit(proposal.parent, units) if proposal.parent else None,
    )
    unit._history_user = by
    unit.full_clean()
    unit.save()
    return unit


def _create_inspection(planned: PlannedInspection, source_name: str, units, by) -> Inspection:
    found = planned.extracted
    score = found.score.value or (None, None)
    inspection = Inspection(
        unit=_unit(planned.unit, units),
        kind=found.kind,
        title=planned.title[:300],
        fieldwork_start=found.fieldwork_start.value,
        fieldwork_end=found.fieldwork_end.value,
        published_on=found.published_on.value,
        lead_inspector=found.lead_inspector.value or "",
        overall_rating=found.overall_rating.value or "",
        score=score[0],
        score_out_of=score[1],
        source_document=f"{source_name} – {planned.title}"[:200],
    )
    _save(inspection, by)
    standards = {}
    for item in found.standards:
        standard = item.value
        rating = StandardRating(
            inspection=inspection,
            domain=standard.domain,
            code=standard.code,
            name=standard.name,
            rating=standard.rating,
        )
        _save(rating, by)
        standards[standard.code] = rating
    for order, item in enumerate(found.key_questions, start=1):
        question = item.value
        _save(
            KeyQuestionResult(
                inspection=inspection,
                standard=standards.get(question.code),
                section=question.section,
                question=question.question,
                percentage=question.percentage,
                order=order,
            ),
            by,
        )
    for rec in found.recommendations:
        # Every body a joint heading names ("the CRC and the NPS"), the one named first first.
        services.record_recommendation(
            inspection=inspection,
            number=rec.number,
            text=rec.text,
            addressees=[_unit(unit, units) for unit in planned.addressees[rec.number]],
            by=by,
        )
    return inspection


def _save(instance, by):
    instance._history_user = by
    instance.full_clean()
    instance.save()
