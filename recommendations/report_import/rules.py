"""Every rule for reading a published report, one function each (each has its own test).

The rules work on numbered lines (``reading.Line``) and answer ``Found`` values: what was read
and the line it was read from, so that a preview can show each field beside its source.
Nothing here touches the database.
"""

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..models.choices import Rating
from .reading import Line


@dataclass(frozen=True)
class Found:
    value: Any
    line: Line | None = None

    def __bool__(self):
        return self.value not in (None, "", [])


NOT_FOUND = Found(None)


@dataclass
class StandardFound:
    domain: str
    code: str
    name: str
    rating: str


@dataclass
class KeyQuestionFound:
    section: str
    code: str
    question: str
    percentage: Decimal


@dataclass
class RecommendationFound:
    number: int
    addressee: Found
    section: str
    text: str
    lines: list[Line] = field(default_factory=list)


# --------------------------------------------------------------------------- lines

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
TAGS = re.compile(r"<[^>]*>")
GLUED_BOLD = re.compile(r"(?<=\S)\*\*+(?=\S)")


def split_markup(lines: list[Line]) -> list[Line]:
    """Inline markup is dropped: HTML tags and bold marks go, table pipes become tabs, and
    text that bold marks glue together ("rating**Inadequate**") is split into lines."""
    result = []
    for line in lines:
        text = TAGS.sub("", line.text).replace("\u00a0", " ").replace("\u2019", "'").replace("\u2018", "'")
        if text.lstrip().startswith("|"):
            text = "\t".join(cell.strip() for cell in text.strip().strip("|").split("|"))
        for part in GLUED_BOLD.split(text):
            result.append(Line(line.number, part.replace("**", "").strip()))
    return result


PAGE_NUMBER = re.compile(r"^(page\s+)?\d{1,3}(\s+of\s+\d{1,3})?$", re.IGNORECASE)


def repeated_lines(lines: list[Line], times: int = 3) -> set[str]:
    """Running headers and footers: lines printed at least ``times`` times, at least once
    beside a page break (a blank line) or a page number. A wrapped line that happens to
    repeat inside a table ("desistance?") is not one."""
    counts = Counter(line.text for line in lines if line.text)
    candidates = {text for text, count in counts.items() if count >= times}

    def at_page_edge(index):
        neighbours = [lines[i].text for i in (index - 1, index + 1) if 0 <= i < len(lines)]
        return any(not text or PAGE_NUMBER.match(text) for text in neighbours)

    return {line.text for index, line in enumerate(lines) if line.text in candidates and at_page_edge(index)}


def is_page_furniture(text: str, repeated: set[str]) -> bool:
    """A page number ("5", "Page 5 of 20"), a footnote or a running header/footer line."""
    return bool(PAGE_NUMBER.match(text)) or text[:1] in "¹²³⁴⁵⁶⁷⁸⁹" or text in repeated


def next_text(lines: list[Line], index: int, limit: int = 6) -> tuple[int, Line] | tuple[None, None]:
    """The next non-blank line after ``index`` (at most ``limit`` lines on)."""
    for offset in range(index + 1, min(len(lines), index + 1 + limit)):
        if lines[offset].text:
            return offset, lines[offset]
    return None, None


# --------------------------------------------------------------------------- what kind of report


def document_kind(lines: list[Line]) -> str:
    """'pdu', 'quality_impact', 'regional_letter', 'press_release' or '' (not recognised)."""
    opening = " ".join(line.text for line in lines[:40]).lower()
    whole = "\n".join(line.text for line in lines)
    if "quality & impact inspection" in opening or "quality and impact inspection" in opening:
        return "quality_impact"
    if "an inspection of probation services" in opening:
        return "pdu"
    if re.search(r"^Dear \w+", whole, re.MULTILINE) and re.search(r"^Annexe one", whole, re.MULTILINE | re.I):
        return "regional_letter"
    if " said:" in whole and "should:" not in whole:
        return "press_release"
    return ""


def inspected_unit(lines: list[Line]) -> tuple[Found, Found]:
    """A PDU report's cover: the unit after "An inspection of probation services in:" and its region."""
    for index, line in enumerate(lines[:60]):
        if line.text.lower().startswith("an inspection of probation services"):
            unit_index, unit_line = next_text(lines, index)
            if unit_line is None:
                break
            _, region_line = next_text(lines, unit_index)
            region = Found(region_name(region_line.text), region_line) if region_line else NOT_FOUND
            return Found(unit_line.text, unit_line), region if region.value else NOT_FOUND
    return NOT_FOUND, NOT_FOUND


def region_name(text: str) -> str:
    """'The Probation Service – East Midlands region' → 'Probation Service – East Midlands'."""
    match = re.match(r"^(?:the\s+)?(probation service\s*[–-]\s*.+?)(?:\s+region)?$", text.strip(), re.I)
    return match.group(1) if match else ""


def reviewed_region(lines: list[Line]) -> Found:
    """A regional letter's region: "… the recent review of Probation Service – East Midlands region"."""
    for line in lines:
        match = re.search(r"review of (?:the\s+)?(Probation Service\s*[–-]\s*.+?)(?:\s+region)?[.,]", line.text)
        if match:
            return Found(match.group(1), line)
    return NOT_FOUND


def area_title(lines: list[Line]) -> Found:
    """A Quality & Impact report's subject: the line after "Quality & Impact inspection"."""
    for index, line in enumerate(lines[:40]):
        if line.text.lower().startswith(("quality & impact inspection", "quality and impact inspection")):
            _, subject = next_text(lines, index)
            if subject is not None:
                return Found(subject.text, subject)
    return NOT_FOUND


# --------------------------------------------------------------------------- dates and people


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


# --------------------------------------------------------------------------- ratings and scores

RATING_WORDS = {label.lower(): value for value, label in Rating.choices}


def rating_value(text: str) -> str:
    """'Requires improvement' → 'requires_improvement'; anything else → ''."""
    return RATING_WORDS.get(" ".join(text.split()).strip(" .:").lower(), "")


def rating_in(text: str) -> str:
    """The rating named anywhere in a table row ("P 1.1<tab>Leadership<tab>Inadequate")."""
    for cell in reversed(re.split(r"\t+", text)):
        if value := rating_value(cell):
            return value
    return ""


def score(lines: list[Line]) -> Found:
    """ "Score 11/27" (also in a table row or split over two lines) → (11, 27)."""
    for index, line in enumerate(lines):
        match = re.search(r"\bScore\b\W*(\d{1,2})\s*/\s*(\d{1,2})\b", line.text)
        if not match and re.search(r"\bScore\s*$", line.text):
            _, following = next_text(lines, index, limit=2)
            match = following and re.fullmatch(r"(\d{1,2})\s*/\s*(\d{1,2})", following.text)
        if match and int(match.group(1)) <= int(match.group(2)):
            return Found((int(match.group(1)), int(match.group(2))), line)
    return NOT_FOUND


OVERALL = re.compile(r"^\W*overa\S*\s+(?:\S+\s+)?rating\b(.*)$", re.IGNORECASE)


def overall_rating(lines: list[Line]) -> Found:
    """ "Overall rating" with the rating on the same line or the next (also when the text
    extraction broke the words, as in "Overa III rating<tab>Inadequate")."""
    for index, line in enumerate(lines):
        match = OVERALL.match(line.text)
        if not match:
            continue
        if value := rating_in(match.group(1)):
            return Found(value, line)
        _, following = next_text(lines, index, limit=3)
        if following is not None and (value := rating_value(following.text)):
            return Found(value, following)
    return NOT_FOUND


STANDARD = re.compile(r"^(?:P\s+)?(\d)\.(\d)\.?\s+([A-Z][a-z][A-Za-z ,&-]{0,40}?)\s*(?:\t+(.*))?$")
# A table row whose cells a PDF gives separated by spaces: "1.1 Leadership Requires improvement".
STANDARD_ROW = re.compile(
    r"^(?:P\s+)?(\d)\.(\d)\.?\s+([A-Z][a-z][A-Za-z ,&-]{0,40}?)"
    r"\s+(Outstanding|Good|Requires improvement|Inadequate)\s*$"
)
DOMAIN = re.compile(r"^(\d)\.\s+([A-Z][A-Za-z ,&-]{3,60}?)\s*$")


def domain_names(lines: list[Line]) -> dict[str, str]:
    """Domain headings ("1. Organisational delivery"), by number: the name printed most often
    as a line of its own, the later one on a tie (the chapter heading over a garbled table row)."""
    counts: dict[str, Counter] = {}
    for line in lines:
        match = DOMAIN.match(line.text)
        if match and not match.group(2)[0].islower():
            counts.setdefault(match.group(1), Counter())[match.group(2)] += 1
    names = {}
    for number, names_counted in counts.items():
        most = max(names_counted.values())
        names[number] = [name for name in names_counted if names_counted[name] == most][-1]
    return names


def standard_ratings(lines: list[Line], domains: dict[str, str] | None = None) -> list[Found]:
    """Each standard's heading ("2.2 Assessment", "P 2.2. Planning") with its rating on the
    same row or within the next few lines. A standard is taken once (the ratings page comes
    first; the chapter headings repeat it). A code printed twice in a row for two different
    standards ("2.2 Assessment", "2.2 Planning") is a misprint: the second and those after it
    are numbered on in sequence."""
    domains = domain_names(lines) if domains is None else domains
    found, names, previous = [], set(), None
    for index, line in enumerate(lines):
        match = STANDARD_ROW.match(line.text) or STANDARD.match(line.text)
        if not match:
            continue
        major, minor, name = match.group(1), int(match.group(2)), match.group(3).strip()
        if previous and previous[0] == major and minor <= previous[1] and previous[2] != name:
            minor = previous[1] + 1
        previous = (major, minor, name)
        rating = rating_in(match.group(4) or "")
        rating_line = line
        for following in lines[index + 1 : index + 8]:
            if rating or STANDARD.match(following.text) or DOMAIN.match(following.text):
                break
            if value := rating_value(following.text):
                rating, rating_line = value, following
        if rating and name not in names:
            names.add(name)
            code = f"{major}.{minor}"
            found.append(Found(StandardFound(domains.get(major, ""), code, name, rating), rating_line))
    return found


# --------------------------------------------------------------------------- key questions

# "Percentage 'Yes'" heads the column; in a PDF the header may wrap ("Percentage" / "'Yes'").
PERCENTAGE_HEADER = re.compile(r"percentage(\s+'yes')?\s*$", re.IGNORECASE)
QUESTION_ROW = re.compile(r"^(.*\?)\s*(\d{1,3}(?:\.\d)?)\s*%$")


def key_questions(lines: list[Line], repeated: set[str] | None = None) -> list[Found]:
    """Rows "question?<tab>70%" under a "Percentage 'Yes'" header, under the standard heading
    they follow ("2.2. Assessment"); a question wrapped over several lines is joined and page
    furniture inside the table is skipped."""
    repeated = repeated_lines(lines) if repeated is None else repeated
    found, section, code, in_table, pending, rows = [], "", "", False, [], 0
    for line in lines:
        text = line.text
        if text and in_table and is_page_furniture(text, repeated):
            continue
        heading = STANDARD.match(text)
        if heading and not in_table:
            section, code = heading.group(3).strip(), f"{heading.group(1)}.{heading.group(2)}"
            continue
        if PERCENTAGE_HEADER.search(text):
            in_table, pending, rows = True, [], 0
            continue
        if not in_table:
            continue
        if not text:
            # A blank line ends the table, except one between its header and first row (a page break).
            in_table = not (pending or rows)
            continue
        if re.fullmatch(r"[-|:\t ]+", text) or text.strip("' ").lower() == "yes":
            continue
        joined = ""
        for part in [*(p.text for p in pending), text.replace("\t", " ")]:
            joined = join_wrapped(joined, part) if joined else part
        row = QUESTION_ROW.match(joined)
        if row:
            question = " ".join(row.group(1).split())
            found.append(Found(KeyQuestionFound(section, code, question, Decimal(row.group(2))), line))
            pending, rows = [], rows + 1
        elif len(pending) < 3:
            pending.append(Line(line.number, text.replace("\t", " ")))
        else:
            in_table, pending = False, []
    return found


# --------------------------------------------------------------------------- recommendations

ADDRESSEE_HEADING = re.compile(r"^(?:[-•*]\s*)?(.+?)\s+should:?\s*$")
NUMBERED_ITEM = re.compile(r"^(?:[-•*]\s*)?(\d{1,2})[.)]\s+(.+)$")
BULLET_ITEM = re.compile(r"^[-•*]\s+(.+)$")


def addressee_heading(text: str) -> str:
    """ "Derby City PDU should:" → 'Derby City PDU' (a heading over the recommendations to it)."""
    match = ADDRESSEE_HEADING.match(text.strip())
    if not match or len(match.group(1)) > 150 or not text.rstrip().endswith(":"):
        return ""
    return re.sub(r"^the\s+", "", match.group(1), flags=re.IGNORECASE).strip()


def recommendation_item(text: str, expected: int) -> tuple[int, str] | None:
    """A numbered item continuing the sequence ("5. ensure …"), or a bullet without a number,
    which takes the next number (a number lost in conversion); any other number is not a
    recommendation (e.g. the next chapter's "2. The arrangements …")."""
    match = NUMBERED_ITEM.match(text)
    if match:
        return (expected, match.group(2).strip()) if int(match.group(1)) == expected else None
    match = BULLET_ITEM.match(text)
    return (expected, match.group(1).strip()) if match else None


def join_wrapped(first: str, second: str) -> str:
    """Joins a wrapped line to the text before it: with a space, or with none after a
    line-end hyphen ("decision-" + "making" → "decision-making")."""
    first, second = first.rstrip(), second.strip()
    return f"{first}{second}" if first.endswith("-") and not first.endswith(" -") else f"{first} {second}"


def is_continuation(item_text: str, text: str, after_blank: bool) -> bool:
    """A wrapped recommendation goes on until its closing full stop; across a blank line
    (a page break) only if the next line starts in lower case."""
    if item_text.endswith("."):
        return False
    return not after_blank or text[:1].islower()


def recommendations(lines: list[Line], repeated: set[str] | None = None) -> list[RecommendationFound]:
    """Every recommendation, word for word, under its addressee heading ("… should:"),
    numbered as published, wrapped lines joined, page furniture between them dropped. A line
    naming the unit of the next heading ("Leicester, Leicestershire, and Rutland PDU" above
    "… PDU should:") starts a section, whose numbering starts again at 1."""
    repeated = repeated_lines(lines) if repeated is None else repeated
    found, addressee, section, expected, current, after_blank = [], None, "", 1, None, False
    for index, line in enumerate(lines):
        text = line.text
        if not text:
            after_blank = True
            continue
        if heading := addressee_heading(text):
            addressee, current, after_blank = Found(heading, line), None, False
            continue
        _, following = next_text(lines, index, limit=3)
        if following is not None and addressee_heading(following.text) in (
            text,
            re.sub(r"^the\s+", "", text, flags=re.I),
        ):
            section, expected, current, addressee = text, 1, None, None
            continue
        if addressee is None:
            continue
        if is_page_furniture(text, repeated):
            continue
        if item := recommendation_item(text, expected):
            current = RecommendationFound(item[0], addressee, section, item[1], [line])
            found.append(current)
            expected, after_blank = expected + 1, False
            continue
        if current is not None and is_continuation(current.text, text, after_blank):
            current.text = join_wrapped(current.text, text)
            current.lines.append(line)
            after_blank = False
            continue
        # Anything else ends the recommendations.
        if found:
            break
    return found


GENERIC_JOINT = re.compile(r"\s+and\s+(?:the\s+)?")


def joint_addressees(name: str) -> list[str]:
    """ "The Community Rehabilitation Company and National Probation Service" → both bodies.
    Only used when the whole name matches no unit (a unit's own name may contain "and")."""
    return [part.strip() for part in GENERIC_JOINT.split(name) if part.strip()]


# --------------------------------------------------------------------------- regional letters


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
