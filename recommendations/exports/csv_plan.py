"""The action plan as CSV: the same rows the plan page shows, one line each.

Used by the plan page's download and by the export command. Cells are made safe to
open in a spreadsheet: text that a spreadsheet would run as a formula is prefixed with
a quote (see OWASP "CSV injection").
"""

import csv
from collections.abc import Iterable, Iterator
from itertools import islice
from operator import call

from ..models import RAG, Response
from ..models.choices import PLAN_STATUS_CHOICES

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

# Lines sent to the browser at a time: one write per line costs more than making the line.
LINES_PER_CHUNK = 250

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
    return value.isoformat() if value is not None else ""


def _as_is(value):
    return value


# A line's cells: the plan row's column (recommendations.selectors.action_plan.ROW_COLUMNS) and
# how it is written. Only text people typed can start like a formula; dates, numbers and the
# service's own labels cannot, and are left as they are. The recommendation's cells come first:
# they are the same on each of its actions' lines, and are written once for all of them.
_RECOMMENDATION_CELLS = (
    ("inspection_title", neutralise_formula),
    ("rec_number", _as_is),
    ("rec_text", neutralise_formula),
    ("addressee_name", neutralise_formula),
    ("rec_response", lambda value: _RESPONSE_LABELS.get(value, value)),
)
_ACTION_CELLS = (
    ("action_text", neutralise_formula),
    ("owner_name", neutralise_formula),
    ("due_current", _date),
    ("due_original", _date),
    ("plan_status", lambda value: _STATUS_LABELS.get(value, value)),
    ("rag_self", lambda value: _RAG_LABELS.get(value, "")),
    ("rag_derived", lambda value: _RAG_LABELS.get(value, "")),
    ("latest_update_on", _date),
    ("evidence_count", _as_is),
)
_CELLS = (*_RECOMMENDATION_CELLS, *_ACTION_CELLS)
# The columns a line is made from, in its order: the download reads only these.
ROW_COLUMNS_USED = tuple(name for name, _ in _CELLS)


def plan_record(row: dict) -> list:
    """One plan row (from recommendations.selectors.action_plan) as the CSV's cells."""
    return [write(row[name]) for name, write in _CELLS]


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


class _Written(dict):
    """Each value's cell as `write` makes it, made once for each different value: lines repeat
    dates, owners and labels, and looking a cell up costs less than a call to make it again."""

    def __init__(self, write):
        super().__init__()
        self.write = write

    def __missing__(self, value):
        cell = self[value] = self.write(value)
        return cell


class _Line:
    """A file-like object that hands back what is written to it, for streaming."""

    def write(self, value):
        return value


def stream_plan_csv(rows: Iterable[tuple]) -> Iterator[str]:
    """The CSV in chunks of lines, with a byte-order mark so that Excel reads it as UTF-8.

    `rows`: tuples of the ROW_COLUMNS_USED values (ActionPlan.row_values). The csv module quotes
    each cell on its own, so a recommendation's cells, written once, begin each of its lines.
    """
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(HEADER)
    split = len(_RECOMMENDATION_CELLS)
    end = len(writer.dialect.lineterminator)
    recommendation_writers = [write for _, write in _RECOMMENDATION_CELLS]
    # The recommendation's cells, by their values, as the start of a line.
    starts = _Written(lambda values: writer.writerow(map(call, recommendation_writers, values))[:-end] + ",")
    action_cells = [_Written(write).__getitem__ for _, write in _ACTION_CELLS]

    def line(row):
        return starts[row[:split]] + writer.writerow(map(call, action_cells, row[split:]))

    rows = iter(rows)
    while chunk := list(islice(rows, LINES_PER_CHUNK)):
        yield "".join(map(line, chunk))
