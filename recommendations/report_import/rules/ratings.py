"""The overall rating, each standard's rating and the score."""

import re
from collections import Counter

from ...models.choices import Rating
from ..reading import Line
from .found import NOT_FOUND, Found, StandardFound
from .lines import next_text

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
