"""Lines as the other rules read them: markup dropped, page furniture recognised, wrapped
text joined."""

import re
from collections import Counter

from ..reading import Line

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


def join_wrapped(first: str, second: str) -> str:
    """Joins a wrapped line to the text before it: with a space, or with none after a
    line-end hyphen ("decision-" + "making" → "decision-making")."""
    first, second = first.rstrip(), second.strip()
    return f"{first}{second}" if first.endswith("-") and not first.endswith(" -") else f"{first} {second}"
