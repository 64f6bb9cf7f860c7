"""What kind of report it is, and the unit, region or area it is about."""

import re

from ..reading import Line
from .found import NOT_FOUND, Found
from .lines import next_text


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
