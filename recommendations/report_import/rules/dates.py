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


# A saved web page's publication date, as reading.html_text writes it ("meta dcterms.issued: 2023-02-09").
METADATA_DATE = re.compile(r"^meta \S+: (\d{4}-\d{2}-\d{2})(?!\d)")
PUBLISHED_LINE = re.compile(
    rf"^(?:published(?: on)?|publication date|date of publication)\s*:?\s*(\d{{1,2}} (?:{MONTHS}) \d{{4}})\b", re.I
)
COVER_DATE = re.compile(rf"(?:.*,\s*)?(\d{{1,2}} (?:{MONTHS}) \d{{4}})")
COVER_MONTH = re.compile(rf"(?:.*,\s*)?((?:{MONTHS}) \d{{4}})")


def publication_date(lines: list[Line]) -> Found:
    """The day the report was published, where it says: a web page's metadata
    ("article:published_time"), a line "Published: 9 February 2023", or a full date on the
    cover ("09 February 2022", a letter). A cover giving only a month is not a day: see
    ``publication_month``."""
    for line in lines:
        if match := METADATA_DATE.match(line.text.strip()):
            try:
                return Found(dt.date.fromisoformat(match.group(1)), line)
            except ValueError:
                continue
    for line in lines:
        if (match := PUBLISHED_LINE.match(line.text.strip())) and (day := parse_date(match.group(1))):
            return Found(day, line)
    for line in lines[:40]:
        if (match := COVER_DATE.fullmatch(line.text.strip())) and (day := parse_date(match.group(1))):
            return Found(day, line)
    return NOT_FOUND


def publication_month(lines: list[Line]) -> Found:
    """A cover that gives only the month ("HM Inspectorate of Probation, February 2023"): the
    month as printed, so that the preview can ask for the day rather than guess it."""
    for line in lines[:40]:
        if match := COVER_MONTH.fullmatch(line.text.strip()):
            return Found(match.group(1), line)
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
