"""The template's columns, and how each cell is read and written."""

import datetime as dt
import re

from ..date_formats import read_typed_date
from ..models.choices import RAG, ActionStatus

INSPECTION = "Inspection"
RECOMMENDATION = "Recommendation number"
ACTION = "Action"
SUCCESS_MEASURE = "Success measure"
OWNER = "Owner"
UNIT = "Unit"
START_DATE = "Start date"
DUE_DATE = "Due date"
STATUS = "Status"
SELF_RAG = "Self RAG"
LATEST_UPDATE = "Latest update"
COMPLETED_ON = "Completed on"
VERIFIED_ON = "Verified on"
VERIFIED_BY = "Verified by"

COLUMNS = (
    INSPECTION, RECOMMENDATION, ACTION, SUCCESS_MEASURE, OWNER, UNIT, START_DATE, DUE_DATE, STATUS,
    SELF_RAG, LATEST_UPDATE, COMPLETED_ON, VERIFIED_ON, VERIFIED_BY,
)  # fmt: skip
REQUIRED_COLUMNS = (INSPECTION, RECOMMENDATION, ACTION, DUE_DATE)

HINTS = {
    INSPECTION: "The inspection's title as the service shows it, e.g. “An inspection of probation services: "
    "Derby City PDU (2023)”, or its number in the service",
    RECOMMENDATION: "The recommendation's number in the report, e.g. 3",
    ACTION: "What will be done (required)",
    SUCCESS_MEASURE: "How you will know it worked",
    OWNER: "The owner's email address or full name",
    UNIT: "The unit doing the action (name or short name); blank means the unit the recommendation is addressed to",
    START_DATE: "A date: 13/10/2026, 13 October 2026 or 2026-10-13",
    DUE_DATE: "A date (required)",
    STATUS: "Not started, In progress, Blocked, Completed – awaiting verification, Verified or Cancelled",
    SELF_RAG: "Red, Amber or Green",
    LATEST_UPDATE: "The latest progress update (for a cancelled action: why it was cancelled)",
    COMPLETED_ON: "A date, for a completed or verified action",
    VERIFIED_ON: "A date, for a verified action",
    VERIFIED_BY: "Email address or full name of whoever verified it (someone in the service, not the owner)",
}

STATUS_LABELS = dict(ActionStatus.choices)
RAG_LABELS = dict(RAG.choices)
# What people write for a status or a RAG rating, matched without case or punctuation.
STATUS_WORDS = {
    **{re.sub(r"[^a-z]", "", label.lower()): value for value, label in ActionStatus.choices},
    **{re.sub(r"[^a-z]", "", value): value for value in ActionStatus.values},
    "completed": ActionStatus.COMPLETED,
    "complete": ActionStatus.COMPLETED,
}
RAG_WORDS = {**{label.lower(): value for value, label in RAG.choices}, **{value: value for value in RAG.values}}

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class CellError(ValueError):
    """A cell that cannot be read; the message says what to write instead."""


def text(value) -> str:
    """A text cell as typed: a quote added on export to keep text from running as a formula is removed."""
    if value is None:
        return ""
    value = str(value).strip()
    if value.startswith("'") and value[1:2] and value[1] in "=+-@":
        value = value[1:]
    return value


def read_date(value, column: str) -> dt.date | None:
    """UK (13/10/2026, 13 October 2026) or ISO (2026-10-13) dates, or a spreadsheet date cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    value = " ".join(text(value).split())
    if not value:
        return None
    if day := read_typed_date(value):
        return day
    raise CellError(f"Enter the {column.lower()} as a date, like 13/10/2026 or 13 October 2026 (not “{value}”).")


def write_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def read_status(value) -> str:
    word = re.sub(r"[^a-z]", "", text(value).lower())
    if not word:
        return ActionStatus.NOT_STARTED
    if word not in STATUS_WORDS:
        raise CellError(
            f"“{text(value)}” is not a status: use "
            + ", ".join(STATUS_LABELS.values()).replace(", Cancelled", " or Cancelled")
            + "."
        )
    return STATUS_WORDS[word]


def read_rag(value) -> str:
    word = text(value).lower()
    if not word:
        return ""
    if word not in RAG_WORDS:
        raise CellError(f"“{text(value)}” is not a RAG rating: use Red, Amber or Green.")
    return RAG_WORDS[word]


def read_number(value, column: str) -> int:
    if isinstance(value, int | float) and int(value) == value and value >= 1:
        return int(value)
    word = text(value)
    if not word:
        raise CellError(f"Enter the {column.lower()}.")
    if not word.isdigit() or int(word) < 1:
        raise CellError(f"Enter the {column.lower()} as a whole number, like 3 (not “{word}”).")
    return int(word)


def neutralise_formula(value):
    """Text that a spreadsheet would treat as a formula, prefixed with a quote so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
