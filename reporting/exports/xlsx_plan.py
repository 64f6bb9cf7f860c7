"""The action plan as an Excel workbook, in the layout of the Inspectorate's template.

Title rows name the unit or inspection and the "as at" date; the header row is frozen,
text wraps, and dates are real dates so that they sort and filter in Excel.
"""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from ..selectors.plan_document import PlanDocument

# (row key, heading, width in characters, is a date)
XLSX_COLUMNS = [
    ("inspection", "Inspection", 30, False),
    ("recommendation_number", "Recommendation number", 17, False),
    ("recommendation", "Recommendation", 60, False),
    ("addressed_to", "Addressed to", 22, False),
    ("response", "Response", 16, False),
    ("action", "Action", 60, False),
    ("action_unit", "Unit", 16, False),
    ("owner", "Owner", 22, False),
    ("original_due_date", "Original due date", 14, True),
    ("due_date", "Current due date", 14, True),
    ("status", "Status", 20, False),
    ("self_rag", "RAG (self-assessed)", 14, False),
    ("rag", "RAG (derived)", 14, False),
    ("latest_update", "Latest update", 60, False),
    ("latest_update_on", "Latest update date", 14, True),
    ("evidence_count", "Evidence count", 12, False),
    ("verified", "Verified by", 24, False),
]
HEADER_ROW = 5
DATE_FORMAT = "dd/mm/yyyy"
_THIN = Side(style="thin", color="B1B4B6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


LINE_HEIGHT = 15  # points, for the default 11-point font


def _lines_needed(value, width) -> int:
    """How many wrapped lines a value needs in a column `width` characters wide (a close estimate)."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(int(width), 1)  # narrower letters make up for the space lost at word breaks
    return sum(max(1, -(-len(paragraph) // per_line)) for paragraph in value.splitlines() or [""])


def _set_text(cell, value):
    if isinstance(value, str):
        # XML 1.0, inside every workbook, cannot hold most control characters (pasted text
        # brings them in); openpyxl refuses them, so they are left out rather than fail.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    # A value starting with "=" must stay text, never become a formula that Excel runs.
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def write_plan_xlsx(document: PlanDocument, stream=None):
    """Write the workbook to `stream` (or a new BytesIO, returned)."""
    stream = stream if stream is not None else BytesIO()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Action plan"

    _set_text(sheet["A1"], document.title)
    sheet["A1"].font = Font(bold=True, size=16)
    _set_text(sheet["A2"], document.subtitle)
    sheet["A2"].font = Font(size=12)
    sheet["A3"] = "As at"
    sheet["A3"].font = Font(bold=True)
    sheet["B3"] = document.as_at
    sheet["B3"].number_format = DATE_FORMAT
    sheet["B3"].alignment = Alignment(horizontal="left")
    if document.filters:
        sheet["A4"] = "Filtered by"
        sheet["A4"].font = Font(bold=True)
        _set_text(sheet["B4"], "; ".join(document.filters))

    header_fill = PatternFill("solid", fgColor="0B0C0C")
    for column, (_key, heading, width, _is_date) in enumerate(XLSX_COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=heading)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = _BORDER
        sheet.column_dimensions[get_column_letter(column)].width = width
    # Row heights are set, not left to the program: LibreOffice does not grow rows for wrapped text on opening.
    sheet.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * max(_lines_needed(h, w) for _k, h, w, _d in XLSX_COLUMNS)

    wrap = Alignment(wrap_text=True, vertical="top")
    for row_number, row in enumerate(document.rows, start=HEADER_ROW + 1):
        for column, (key, _heading, _width, is_date) in enumerate(XLSX_COLUMNS, start=1):
            cell = sheet.cell(row=row_number, column=column)
            _set_text(cell, row[key] if row[key] != "" else None)
            cell.alignment = wrap
            cell.border = _BORDER
            if is_date:
                cell.number_format = DATE_FORMAT
        lines = max(_lines_needed(row[key], width) for key, _heading, width, _is_date in XLSX_COLUMNS)
        sheet.row_dimensions[row_number].height = LINE_HEIGHT * min(lines, 30)

    last_row = HEADER_ROW + max(len(document.rows), 1)
    last_column = get_column_letter(len(XLSX_COLUMNS))
    # The title rows and the header stay in view while scrolling the plan.
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    if document.rows:
        table = Table(displayName="ActionPlan", ref=f"A{HEADER_ROW}:{last_column}{last_row}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        sheet.add_table(table)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    # A wide plan: A3 landscape, as the Inspectorate's template is usually printed.
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.right.text = "Page &P of &N"

    _write_inspections_sheet(workbook, document)
    workbook.properties.title = document.title
    workbook.save(stream)
    return stream


def _write_inspections_sheet(workbook, document: PlanDocument):
    sheet = workbook.create_sheet("Inspections")
    headings = ["Inspection", "Unit", "Published", "Overall rating", "Score", "Standard", "Rating"]
    widths = [50, 30, 14, 22, 10, 40, 22]
    for column, (heading, width) in enumerate(zip(headings, widths, strict=True), start=1):
        sheet.cell(row=1, column=column, value=heading).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    row_number = 2
    for inspection in document.inspections:
        standards = list(inspection.standard_ratings.all()) or [None]
        for standard in standards:
            values = [
                inspection.title,
                inspection.unit.name,
                inspection.published_on,
                inspection.get_overall_rating_display(),
                inspection.score_display,
                f"{standard.code} {standard.name}" if standard else "",
                standard.get_rating_display() if standard else "",
            ]
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=row_number, column=column)
                _set_text(cell, value or None)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.cell(row=row_number, column=3).number_format = DATE_FORMAT
            row_number += 1
    sheet.freeze_panes = "A2"
