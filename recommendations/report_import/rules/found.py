"""What a rule answers: the value read and the line it was read from, so that a preview can
show each field beside its source."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..reading import Line


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
