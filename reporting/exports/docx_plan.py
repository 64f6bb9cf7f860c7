"""The action plan as a Word document in HMPPS's layout (hmpps_layout), for owners to edit before it is sent.

Written with python-docx, the well-kept library for .docx files: the cover and the
definitions on portrait pages, then a landscape section with one table per addressee
whose header row repeats on every page. A recommendation's number, text and response are
merged down the rows of its response and actions, as in the documents HMPPS publishes.
"""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ..selectors.plan_document import PlanDocument
from .hmpps_layout import HmppsActionPlan, PlanLine, hmpps_action_plan

# Widths of the table's columns on a landscape A4 page with 1.5 cm margins (26.7 cm in all).
COLUMN_WIDTHS = [Cm(1.3), Cm(5.6), Cm(2.6), Cm(7.4), Cm(3.2), Cm(2.4), Cm(2.3), Cm(1.9)]
A4_SHORT, A4_LONG = Cm(21.0), Cm(29.7)


def _text(value) -> str:
    # XML cannot hold most control characters (pasted text brings them in); python-docx refuses them.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value or ""))


def _long_date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _repeat_as_header(row) -> None:
    """Mark a table row as its header, repeated at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _write_cell(cell, text: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    for number, part in enumerate(_text(text).split("\n")):
        if number:
            paragraph.add_run().add_break()
        paragraph.add_run(part).bold = bold


def _line_cells(line: PlanLine) -> list[str]:
    if not line.is_action:
        return [f"Response: {line.text}" if line.is_response else line.text, "", "", "", ""]
    target = _long_date(line.target_date)
    if line.original_target_date:
        target += f"\n(originally {_long_date(line.original_target_date)})"
    owner = line.owner + (f"\n{line.unit}" if line.unit else "")
    return [f"Action: {line.text}", owner, target, line.status, line.rag]


def _plan_table(document, group, headings) -> None:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        _write_cell(cell, heading, bold=True)
    _repeat_as_header(table.rows[0])
    for entry in group.entries:
        first = len(table.rows)
        for line in entry.lines:
            cells = table.add_row().cells
            if line.is_action:
                for cell, text in zip(cells[3:], _line_cells(line), strict=True):
                    _write_cell(cell, text)
            else:  # the response, or "no action yet", spans the action columns
                _write_cell(cells[3].merge(cells[-1]), _line_cells(line)[0])
        last = len(table.rows) - 1
        for column, text in enumerate([str(entry.number), entry.text, entry.response]):
            merged = table.cell(first, column).merge(table.cell(last, column)) if last > first else None
            _write_cell(merged or table.cell(first, column), text)
    for row in table.rows:
        for cell, width in zip(row.cells, COLUMN_WIDTHS, strict=True):
            cell.width = width


def _landscape(section) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = A4_LONG, A4_SHORT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))


def build_plan_docx(plan: HmppsActionPlan):
    """A python-docx Document of the plan."""
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    cover = document.sections[0]
    cover.page_width, cover.page_height = A4_SHORT, A4_LONG
    document.core_properties.title = _text(plan.title)

    document.add_heading(_text(plan.title), level=0)
    document.add_paragraph(_text(plan.subtitle))
    for part in plan.parts:
        document.add_paragraph(part.submission_line)
        document.add_paragraph(_text(part.cover_line))
        published = _long_date(part.inspection.published_on) or "not recorded"
        document.add_paragraph(f"Report published: {published}")
    if plan.filters:
        document.add_paragraph(_text(f"Filtered by: {'; '.join(plan.filters)}."))

    document.add_heading("Definitions", level=1)
    terms = document.add_table(rows=1, cols=2)
    terms.style = "Table Grid"
    _write_cell(terms.rows[0].cells[0], "Term", bold=True)
    _write_cell(terms.rows[0].cells[1], "Definition", bold=True)
    for term, definition in plan.definitions:
        cells = terms.add_row().cells
        _write_cell(cells[0], term, bold=True)
        _write_cell(cells[1], definition)

    _landscape(document.add_section(WD_SECTION.NEW_PAGE))
    if not plan.parts:
        document.add_paragraph("There are no recommendations in this plan.")
    for part in plan.parts:
        if len(plan.parts) > 1:
            document.add_heading(_text(part.inspection.title), level=1)
        for group in part.groups:
            document.add_heading(_text(f"Recommendations to {group.addressee}"), level=2)
            _plan_table(document, group, plan.headings)
    return document


def write_plan_docx(document: PlanDocument, stream=None):
    """Write the plan document as .docx to `stream` (a new BytesIO when None) and return the stream."""
    stream = stream if stream is not None else BytesIO()
    build_plan_docx(hmpps_action_plan(document)).save(stream)
    return stream
