"""Every recommendation, word for word, under its addressee heading."""

import re

from ..reading import Line
from .found import Found, RecommendationFound
from .lines import is_page_furniture, join_wrapped, next_text, repeated_lines

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
