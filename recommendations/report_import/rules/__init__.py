"""Every rule for reading a published report, one function each (each has its own test).

The rules work on numbered lines (``reading.Line``) and answer ``Found`` values: what was read
and the line it was read from, so that a preview can show each field beside its source.
Nothing here touches the database.

- ``found``: what a rule answers;
- ``lines``: markup, page furniture and wrapped lines;
- ``kind``: the kind of report and what it is about;
- ``dates``: publication and fieldwork dates, the lead inspector;
- ``ratings``: overall and standards' ratings, the score;
- ``key_questions``: the key questions' percentages;
- ``recommendations``: the recommendations under their addressee headings;
- ``letters``: a regional letter's annexes.
"""

from .dates import fieldwork_dates, lead_inspector, parse_date, publication_date, publication_month
from .found import NOT_FOUND, Found, KeyQuestionFound, RecommendationFound, StandardFound
from .key_questions import key_questions
from .kind import area_title, document_kind, inspected_unit, region_name, reviewed_region
from .letters import annexe_start, later_months_mentioned, rating_blocks
from .lines import is_page_furniture, join_wrapped, next_text, repeated_lines, split_markup
from .ratings import domain_names, overall_rating, rating_in, rating_value, score, standard_ratings
from .recommendations import (
    addressee_heading,
    is_continuation,
    joint_addressees,
    recommendation_item,
    recommendations,
)

__all__ = [
    "NOT_FOUND",
    "Found",
    "KeyQuestionFound",
    "RecommendationFound",
    "StandardFound",
    "addressee_heading",
    "annexe_start",
    "area_title",
    "document_kind",
    "domain_names",
    "fieldwork_dates",
    "inspected_unit",
    "is_continuation",
    "is_page_furniture",
    "join_wrapped",
    "joint_addressees",
    "key_questions",
    "later_months_mentioned",
    "lead_inspector",
    "next_text",
    "overall_rating",
    "parse_date",
    "publication_date",
    "publication_month",
    "rating_blocks",
    "rating_in",
    "rating_value",
    "recommendation_item",
    "recommendations",
    "region_name",
    "repeated_lines",
    "reviewed_region",
    "score",
    "split_markup",
    "standard_ratings",
]
