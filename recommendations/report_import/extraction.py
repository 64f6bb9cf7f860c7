"""What a published report says, each field beside the line it came from.

A PDU report gives one inspection; a Quality & Impact report one inspection of an area; a
regional letter gives the region's review plus one inspection per PDU in its annexes.
"""

from dataclasses import dataclass, field

from ..models.choices import InspectionKind
from . import rules
from .reading import Line
from .rules import NOT_FOUND, Found

# What each kind of document is expected to state; a field it does not give is shown as
# "could not find" in the preview.
EXPECTED_FIELDS = {
    "pdu_report": (
        "unit", "published_on", "fieldwork_start", "lead_inspector", "overall_rating", "score",
        "standards", "key_questions", "recommendations",
    ),
    "letter_pdu": ("unit", "published_on", "overall_rating", "score", "standards", "recommendations"),
    "letter_region": ("unit", "published_on", "lead_inspector"),
    "quality_impact": ("area", "published_on", "lead_inspector", "recommendations"),
}  # fmt: skip

FIELD_LABELS = {
    "unit": "inspected unit",
    "area": "area inspected",
    "published_on": "publication date",
    "fieldwork_start": "fieldwork dates",
    "lead_inspector": "lead inspector",
    "overall_rating": "overall rating",
    "score": "score",
    "standards": "standards' ratings",
    "key_questions": "key-question percentages",
    "recommendations": "recommendations",
}


@dataclass
class ExtractedInspection:
    kind: str
    expected: str
    unit: Found = NOT_FOUND
    region: Found = NOT_FOUND
    area: Found = NOT_FOUND
    published_on: Found = NOT_FOUND
    # Where the report gives only the month of publication ("February 2023"): shown, never stored.
    published_month: Found = NOT_FOUND
    fieldwork_start: Found = NOT_FOUND
    fieldwork_end: Found = NOT_FOUND
    lead_inspector: Found = NOT_FOUND
    overall_rating: Found = NOT_FOUND
    score: Found = NOT_FOUND
    standards: list[Found] = field(default_factory=list)
    key_questions: list[Found] = field(default_factory=list)
    recommendations: list[rules.RecommendationFound] = field(default_factory=list)
    warnings: list[Found] = field(default_factory=list)

    def missing(self) -> list[str]:
        """The expected fields the document did not give, in plain words."""
        return [FIELD_LABELS[name] for name in EXPECTED_FIELDS[self.expected] if not getattr(self, name)]


@dataclass
class ExtractedReport:
    kind: str
    lines: list[Line]
    inspections: list[ExtractedInspection] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def extract_report(raw_lines: list[Line]) -> ExtractedReport:
    lines = rules.split_markup(raw_lines)
    kind = rules.document_kind(lines)
    report = ExtractedReport(kind=kind, lines=lines)
    if kind == "pdu":
        report.inspections.append(_pdu_report(lines))
    elif kind == "quality_impact":
        report.inspections.append(_quality_impact(lines))
    elif kind == "regional_letter":
        report.inspections.extend(_regional_letter(lines))
    elif kind == "press_release":
        report.problems.append(
            "This looks like a press release: it has no recommendations or ratings to import. Import the report itself."
        )
    else:
        report.problems.append(
            "Could not tell what kind of report this is: could not find “An inspection of probation "
            "services”, “Quality & Impact inspection” or a regional letter with annexes on its first page."
        )
    for inspection in report.inspections:
        if not inspection.recommendations and "recommendations" in EXPECTED_FIELDS[inspection.expected]:
            report.problems.append(
                "Could not find any recommendations: no heading such as “Derby City PDU should:” "
                "followed by numbered recommendations."
            )
    return report


def _pdu_report(lines: list[Line]) -> ExtractedInspection:
    unit, region = rules.inspected_unit(lines)
    start, end = rules.fieldwork_dates(lines)
    return ExtractedInspection(
        kind=InspectionKind.PDU,
        expected="pdu_report",
        unit=unit,
        region=region,
        published_on=rules.publication_date(lines),
        published_month=rules.publication_month(lines),
        fieldwork_start=start,
        fieldwork_end=end,
        lead_inspector=rules.lead_inspector(lines),
        overall_rating=rules.overall_rating(lines),
        score=rules.score(lines),
        standards=rules.standard_ratings(lines),
        key_questions=rules.key_questions(lines),
        recommendations=rules.recommendations(lines),
    )


def _quality_impact(lines: list[Line]) -> ExtractedInspection:
    return ExtractedInspection(
        kind=InspectionKind.QUALITY_IMPACT,
        expected="quality_impact",
        area=rules.area_title(lines),
        published_on=rules.publication_date(lines),
        published_month=rules.publication_month(lines),
        lead_inspector=rules.lead_inspector(lines),
        recommendations=rules.recommendations(lines),
    )


def _regional_letter(lines: list[Line]) -> list[ExtractedInspection]:
    region = rules.reviewed_region(lines)
    dated = rules.publication_date(lines)
    warnings = []
    if dated and (later := rules.later_months_mentioned(lines, dated.value)):
        # A date the letter's own text contradicts is a misprint, not its publication date.
        months = ", ".join(dict.fromkeys(f.value.strftime("%B %Y") for f in later[:3]))
        warnings.append(
            Found(
                f"The letter is dated {dated.value:%d %B %Y} but reports {months}, so that cannot be the day it "
                "was published: enter the date of publication.",
                later[0].line,
            )
        )
        dated = NOT_FOUND
    review = ExtractedInspection(
        kind=InspectionKind.REGIONAL_REVIEW,
        expected="letter_region",
        unit=region,
        published_on=dated,
        lead_inspector=rules.lead_inspector(lines),
        warnings=warnings,
    )
    annexe_one = rules.annexe_start(lines, "one") or 0
    annexe_two = rules.annexe_start(lines, "two") or len(lines)
    recommendations = rules.recommendations(lines[annexe_one:annexe_two], rules.repeated_lines(lines))
    sections = list(dict.fromkeys(rec.section for rec in recommendations))
    domains = rules.domain_names(lines[annexe_two:])
    blocks = rules.rating_blocks(lines[annexe_two:])
    inspections = []
    for position, section in enumerate(sections):
        recs = [rec for rec in recommendations if rec.section == section]
        first = recs[0]
        block_lines = _block_for(section, position, blocks)
        inspections.append(
            ExtractedInspection(
                kind=InspectionKind.PDU,
                expected="letter_pdu",
                unit=Found(section, _section_line(lines, section, first)),
                region=region,
                published_on=dated,
                warnings=warnings,
                overall_rating=rules.overall_rating(block_lines),
                score=rules.score(block_lines),
                standards=rules.standard_ratings(block_lines, domains),
                recommendations=recs,
            )
        )
    return [review, *inspections]


def _block_for(section: str, position: int, blocks) -> list[Line]:
    """The annexe-two ratings of a PDU: the block named like it, else the block in its place."""
    for name, block in blocks:
        if name and section.lower().startswith(name.value.lower()):
            return block
    return blocks[position][1] if position < len(blocks) else []


def _section_line(lines: list[Line], section: str, first: rules.RecommendationFound) -> Line:
    for line in lines:
        if line.text == section and line.number < first.addressee.line.number:
            return line
    return first.addressee.line
