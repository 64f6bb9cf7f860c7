"""The action plan as CSV: the same rows the plan page shows, one line each.

Used by the plan page's download and by the export command. Cells are made safe to
open in a spreadsheet: text that a spreadsheet would run as a formula is prefixed with
a quote (see OWASP "CSV injection").
"""

import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.utils import timezone

from ..filters.action_plan import PLAN_STATUS_CHOICES
from ..models import RAG, Response

HEADER = (
    "Inspection",
    "Recommendation number",
    "Recommendation",
    "Addressed to",
    "Response",
    "Action",
    "Owner",
    "Due date",
    "Original due date",
    "Status",
    "RAG",
    "Derived RAG",
    "Latest update",
    "Evidence count",
)

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_STATUS_LABELS = dict(PLAN_STATUS_CHOICES)
_RAG_LABELS = dict(RAG.choices)
_RESPONSE_LABELS = dict(Response.choices)


def neutralise_formula(value):
    """Text that a spreadsheet would treat as a formula, prefixed with a quote so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.isoformat() if isinstance(value, date) else str(value)


def plan_record(row: dict) -> list:
    """One plan row (from recommendations.selectors.action_plan) as the CSV's cells."""
    cells = [
        row["inspection_title"],
        row["rec_number"],
        row["rec_text"],
        row["addressee_name"],
        _RESPONSE_LABELS.get(row["rec_response"], row["rec_response"]),
        row["action_text"],
        row["owner_name"],
        _date(row["due_current"]),
        _date(row["due_original"]),
        _STATUS_LABELS.get(row["plan_status"], row["plan_status"]),
        _RAG_LABELS.get(row["rag_self"], ""),
        _RAG_LABELS.get(row["rag_derived"], ""),
        _date(row["latest_update"]),
        row["evidence_count"],
    ]
    return [neutralise_formula(cell) for cell in cells]


def write_plan_csv(rows: Iterable[dict], out) -> int:
    """Write the header and one line per row to the text file `out`; return the number of rows.

    Open `out` with newline="" (the csv module's rule) and, for spreadsheets, encoding "utf-8-sig".
    """
    writer = csv.writer(out)
    writer.writerow(HEADER)
    count = 0
    for row in rows:
        writer.writerow(plan_record(row))
        count += 1
    return count


class _Line:
    """A file-like object that hands back what is written to it, for streaming."""

    def write(self, value):
        return value


def stream_plan_csv(rows: Iterable[dict]) -> Iterator[str]:
    """The CSV a line at a time, with a byte-order mark so that Excel reads it as UTF-8."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(HEADER)
    for row in rows:
        yield writer.writerow(plan_record(row))
