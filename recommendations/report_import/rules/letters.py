"""A regional letter's annexes, and the sign that the date on its face is a misprint."""

import datetime as dt
import re

from ..reading import Line
from .found import NOT_FOUND, Found
from .lines import MONTHS
from .ratings import OVERALL, STANDARD


def annexe_start(lines: list[Line], number: str) -> int | None:
    """The index of the "Annexe one …" / "Annexe two …" heading."""
    for index, line in enumerate(lines):
        if re.match(rf"^Annexe {number}\b", line.text, re.IGNORECASE):
            return index
    return None


def rating_blocks(lines: list[Line]) -> list[tuple[Found, list[Line]]]:
    """Annexe two of a regional letter: one block of ratings per PDU, each starting at its
    name and score ("Derby City<tab>Score<tab>11/27") or at its "Overall rating" line when
    the name was lost; a block without a name is named ``NOT_FOUND``."""
    blocks, current, name, seen_standard = [], [], NOT_FOUND, False
    for line in lines:
        starts_named = re.match(r"^(.+?)\s+Score\b", line.text)
        starts_unnamed = OVERALL.match(line.text) and seen_standard
        if starts_named or starts_unnamed:
            if current and seen_standard:
                blocks.append((name, current))
            name = Found(starts_named.group(1).strip(), line) if starts_named else NOT_FOUND
            current, seen_standard = [], False
        current.append(line)
        seen_standard = seen_standard or bool(STANDARD.match(line.text))
    if current and seen_standard:
        blocks.append((name, current))
    return blocks


def later_months_mentioned(lines: list[Line], dated: dt.date) -> list[Found]:
    """Months the text mentions that fall after the document's own date ("In September 2022, …"
    in a letter dated 09 February 2022): a sign the date on its face is a misprint."""
    later = []
    for line in lines:
        for month, year in re.findall(rf"\b({MONTHS}) (\d{{4}})\b", line.text):
            when = dt.date(int(year), dt.datetime.strptime(month, "%B").month, 1)
            if when > dated.replace(day=1):
                later.append(Found(when, line))
    return later
