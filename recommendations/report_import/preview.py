"""The preview of a report import: every field beside the source line it came from.

Shared by the admin page and the ``import_report`` command, so both show the same thing.
"""

from dataclasses import dataclass

from ..models import OrgUnit
from ..models.choices import InspectionKind, Rating, UnitKind
from .extraction import EXPECTED_FIELDS, FIELD_LABELS
from .loading import ENTERED, ImportPlan, PlannedInspection
from .matching import UnitProposal
from .reading import Line

RATINGS = dict(Rating.choices)
UNIT_KINDS = dict(UnitKind.choices)


@dataclass
class PreviewRow:
    label: str
    value: str
    line: Line | None = None
    missing: bool = False
    new: bool = False


@dataclass
class InspectionPreview:
    title: str
    kind: str
    rows: list[PreviewRow]
    duplicate_of: str = ""


def unit_label(unit) -> str:
    if isinstance(unit, UnitProposal):
        parent = f" under {unit.parent.name}" if unit.parent else ""
        return f"{unit.name} (new {UNIT_KINDS[unit.kind].lower()}{parent})"
    return f"{unit.name} (existing)" if isinstance(unit, OrgUnit) else ""


def _date(value) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def _publication_rows(found, expected) -> list[PreviewRow]:
    """The day of publication as read, or as entered; where the report gives only a month, the
    month it gives and a request for the day (never its first day, which would be a guess)."""
    published = found.published_on
    if published.line is ENTERED:
        return [PreviewRow("Published", f"{_date(published.value)} (entered at import)")]
    if published:
        return [PreviewRow("Published", _date(published.value), published.line)]
    if "published_on" not in expected:
        return []
    if month := found.published_month:
        value = f"Could not find the day of publication: the report gives only {month.value}. Enter the date."
    else:
        value = "Could not find the date of publication. Enter the date."
    return [PreviewRow("Published", value, month.line, missing=True)]


def inspection_preview(planned: PlannedInspection) -> InspectionPreview:
    found = planned.extracted
    expected = EXPECTED_FIELDS[found.expected]
    rows = []

    def add(name, label, value, line, *, new=False):
        if value:
            rows.append(PreviewRow(label, value, line, new=new))
        elif name in expected:
            rows.append(PreviewRow(label, f"Could not find the {FIELD_LABELS[name]}", None, missing=True))

    for warning in found.warnings:
        rows.append(PreviewRow("Check", warning.value, warning.line, missing=True))
    source = found.area if found.kind == InspectionKind.QUALITY_IMPACT else found.unit
    add(
        "area" if found.kind == InspectionKind.QUALITY_IMPACT else "unit",
        "Inspected unit",
        unit_label(planned.unit) or (f"“{source.value}”: no unit found" if source else ""),
        source.line,
        new=isinstance(planned.unit, UnitProposal),
    )
    rows.extend(_publication_rows(found, expected))
    fieldwork = " to ".join(filter(None, (_date(found.fieldwork_start.value), _date(found.fieldwork_end.value))))
    add("fieldwork_start", "Fieldwork", fieldwork, found.fieldwork_start.line)
    add("lead_inspector", "Lead inspector", found.lead_inspector.value, found.lead_inspector.line)
    add("overall_rating", "Overall rating", RATINGS.get(found.overall_rating.value, ""), found.overall_rating.line)
    score = "{}/{}".format(*found.score.value) if found.score else ""
    add("score", "Score", score, found.score.line)
    for item in found.standards:
        standard = item.value
        rows.append(PreviewRow(f"{standard.code} {standard.name}", RATINGS[standard.rating], item.line))
    if not found.standards:
        add("standards", "Standards", "", None)
    for item in found.key_questions:
        question = item.value
        rows.append(PreviewRow(f"Key question ({question.section})", f"{question.percentage}%", item.line))
    if not found.key_questions:
        add("key_questions", "Key questions", "", None)
    for rec in found.recommendations:
        units = planned.addressees.get(rec.number) or []
        addressees = " and ".join(unit_label(unit) for unit in units) or f"“{rec.addressee.value}”: no unit found"
        rows.append(
            PreviewRow(
                f"Recommendation {rec.number} to",
                addressees,
                rec.addressee.line,
                missing=not units,
                new=any(isinstance(unit, UnitProposal) for unit in units),
            )
        )
        rows.append(PreviewRow(f"Recommendation {rec.number}", rec.text, rec.lines[0]))
    if not found.recommendations:
        add("recommendations", "Recommendations", "", None)
    duplicate = str(planned.duplicate_of) if planned.duplicate_of else ""
    return InspectionPreview(planned.title, InspectionKind(found.kind).label, rows, duplicate)


def plan_preview(plan: ImportPlan) -> list[InspectionPreview]:
    return [inspection_preview(planned) for planned in plan.inspections]


def preview_text(plan: ImportPlan) -> str:
    """The preview as plain text for the command line."""
    out = [f"Report: {plan.source_name}"]
    for preview in plan_preview(plan):
        out.append("")
        heading = f"{preview.kind}: {preview.title}"
        out.append(heading)
        out.append("=" * len(heading))
        if preview.duplicate_of:
            out.append(f"Already recorded as “{preview.duplicate_of}”: nothing will change.")
        for row in preview.rows:
            marker = "!! " if row.missing else ("+  " if row.new else "   ")
            source = f"    [line {row.line.number}: {row.line.text.strip()[:90]}]" if row.line else ""
            out.append(f"{marker}{row.label}: {row.value}{source}")
    if plan.proposals:
        out.append("")
        out.append("New units to create:")
        out.extend(f"+  {unit_label(proposal)}" for proposal in plan.proposals)
    if plan.problems:
        out.append("")
        out.append("Problems:")
        out.extend(f"!! {problem}" for problem in plan.problems)
    if plan.already_imported:
        out.append("")
        out.append("This report is already imported: nothing to do.")
    return "\n".join(out)
