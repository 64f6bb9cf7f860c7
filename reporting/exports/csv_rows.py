"""The action plan as CSV: the columns of COLUMNS, one row per action (or per recommendation with none)."""

import csv

from ..selectors.plan_document import COLUMNS, PlanDocument

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_plan_csv(document: PlanDocument, stream) -> None:
    writer = csv.writer(stream)
    writer.writerow([heading for _key, heading in COLUMNS])
    for row in document.rows:
        writer.writerow([_cell(row[key]) for key, _heading in COLUMNS])
