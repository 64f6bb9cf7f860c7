"""Reading and writing the plan spreadsheet as CSV or XLSX."""

import csv
import io
import zipfile
from dataclasses import dataclass

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from .columns import COLUMNS, HINTS, REQUIRED_COLUMNS, CellError

MAX_ROWS = 5000


@dataclass
class Sheet:
    columns: list[str]
    # (row number as the spreadsheet shows it, cells by column name)
    rows: list[tuple[int, dict]]


def _canonical(header) -> str:
    """A header cell matched to a template column, ignoring case and spacing."""
    wanted = " ".join(str(header or "").split()).lower()
    return next((column for column in COLUMNS if column.lower() == wanted), str(header or "").strip())


def read_sheet(data: bytes, filename: str) -> Sheet:
    """The upload's header and rows; a missing column or an unreadable file is a CellError in plain words."""
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise CellError("The file could not be opened as an Excel workbook (.xlsx).") from exc
        sheet = book["Actions"] if "Actions" in book.sheetnames else book.worksheets[0]
        values = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1))
    else:
        try:
            decoded = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            decoded = data.decode("cp1252", errors="replace")
        values = list(csv.reader(io.StringIO(decoded)))
    if not values:
        raise CellError("The file is empty: download the template and fill it in.")
    columns = [_canonical(cell) for cell in values[0]]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise CellError(
            "The spreadsheet has no "
            + " or ".join(f"“{column}”" for column in missing)
            + " column: use the template's headings in row 1."
        )
    if len(values) - 1 > MAX_ROWS:
        raise CellError(f"The spreadsheet has more than {MAX_ROWS} rows: split it into smaller files.")
    rows = []
    for number, cells in enumerate(values[1:], start=2):
        if not any(cell not in (None, "") and str(cell).strip() for cell in cells):
            continue
        rows.append(
            (number, {column: cells[index] if index < len(cells) else None for index, column in enumerate(columns)})
        )
    return Sheet(columns, rows)


def write_csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actions"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("How to fill this in")
    guide.append(["Column", "What to write"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        guide.append([column, HINTS[column]])
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 110
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
