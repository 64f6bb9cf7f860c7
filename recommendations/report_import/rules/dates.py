"""Dates and people: publication, fieldwork and the lead inspector."""

import datetime as dt
import re

from ..reading import Line
from .found import NOT_FOUND, Found
from .lines import MONTHS


def parse_date(text: str) -> dt.date | None:
    """'21 November 2022', '09 February 2023' (a day, a month name and a year)."""
    try:
        return dt.datetime.strptime(" ".join(text.split()), "%d %B %Y").date()
    except ValueError:
        return None


def publication_date(lines: list[Line]) -> Found:
    """The date on the cover: a full date ("09 February 2022", a letter) or a month
    ("HM Inspectorate of Probation, February 2023"), which is recorded as its first day."""
    for line in lines[:40]:
        text = line.text.strip()
        if re.fullmatch(rf"\d{{1,2}} ({MONTHS}) \d{{4}}", text):
            return Found(parse_date(text), line)
        match = re.fullmatch(rf"(?:.*,\s*)?({MONTHS}) (\d{{4}})", text)
        if match:
            month = dt.datetime.strptime(match.group(1), "%B").month
            return Found(dt.date(int(match.group(2)), month, 1), line)
    return NOT_FOUND


WEEK_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4}


def fieldwork_dates(lines: list[Line]) -> tuple[Found, Found]:
    """ "fieldwork … week beginning 21 November 2022" is Monday to Friday of that week;
    "over a period of two weeks, beginning 24 February 2025" ends on the second Friday."""
    for index, line in enumerate(lines):
        if "fieldwork" not in line.text.lower():
            continue
        # The sentence may wrap: read it with the two lines after it.
        text = " ".join(following.text for following in lines[index : index + 3])
        weeks = re.search(rf"over a period of (\w+) weeks?,? beginning (\d{{1,2}} (?:{MONTHS}) \d{{4}})", text)
        single = re.search(rf"week beginning (\d{{1,2}} (?:{MONTHS}) \d{{4}})", text)
        if weeks and weeks.group(1).lower() in WEEK_COUNTS | {str(n): n for n in range(1, 5)}:
            count = WEEK_COUNTS.get(weeks.group(1).lower()) or int(weeks.group(1))
            start = parse_date(weeks.group(2))
        elif single:
            count, start = 1, parse_date(single.group(1))
        else:
            continue
        if start:
            return Found(start, line), Found(start + dt.timedelta(days=7 * (count - 1) + 4), line)
    return NOT_FOUND, NOT_FOUND


def lead_inspector(lines: list[Line]) -> Found:
    """ "led by HM Inspector Leon Bonas" → 'Leon Bonas, HM Inspector'; "Lead Inspector<tab>Joseph
    Simpson, Inspector" and "Jon Gardner, Lead Inspector" are taken as printed."""
    for line in lines:
        text = line.text
        match = re.search(r"led by (HM Inspector|Lead Inspector|Inspector) ([A-Z][\w'-]+(?: [A-Z][\w'-]+)+)", text)
        if match:
            return Found(f"{match.group(2)}, {match.group(1)}", line)
        match = re.fullmatch(r"Lead Inspector\s+([A-Z][^,]+,\s*[\w ]*Inspector)", text.strip())
        if match:
            return Found(" ".join(match.group(1).split()), line)
        match = re.fullmatch(r"([A-Z][\w'-]+(?: [A-Z][\w'-]+)+), Lead Inspector", text.strip())
        if match:
            return Found(text.strip(), line)
    return NOT_FOUND
