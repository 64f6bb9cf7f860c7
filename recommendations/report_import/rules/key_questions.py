"""The key questions' percentages, under the standards they belong to."""

import re
from decimal import Decimal

from ..reading import Line
from .found import Found, KeyQuestionFound
from .lines import is_page_furniture, join_wrapped, repeated_lines
from .ratings import STANDARD

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
