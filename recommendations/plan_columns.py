"""Which columns of the action plan a person sees: their own choice, remembered, or the defaults.

The recommendation and the action always show. Until a person chooses, the plan shows the
columns that fit beside the open filter on a 1280 px screen, the two RAG ratings and the
date of the latest update among them; the inspection, the addressee and the response can
be added (the filter and each recommendation's link already name the inspection).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import PlanColumnChoice

# Every column a person may show or hide, in the table's order, with its heading.
CHOOSABLE_COLUMNS = {
    "inspection": "Inspection",
    "addressee": "Addressed to",
    "response": "Response",
    "owner": "Owner",
    "due_date": "Due date",
    "status": "Status",
    "self_rag": "Self RAG",
    "derived_rag": "Derived RAG",
    "latest_update": "Updated",
    "evidence": "Evidence",
}
DEFAULT_COLUMNS = ("owner", "due_date", "status", "self_rag", "derived_rag", "latest_update", "evidence")


def shown_plan_columns(user) -> tuple[str, ...]:
    """The optional columns the user sees, in the table's order."""
    chosen = PlanColumnChoice.objects.filter(user=user).values_list("columns", flat=True).first()
    if chosen is None:
        return DEFAULT_COLUMNS
    return tuple(name for name in CHOOSABLE_COLUMNS if name in chosen)


def hidden_plan_columns(user) -> tuple[str, ...]:
    shown = shown_plan_columns(user)
    return tuple(name for name in CHOOSABLE_COLUMNS if name not in shown)


@transaction.atomic
def choose_plan_columns(*, user, columns) -> PlanColumnChoice:
    """Remember the optional columns the user wants to see (any of CHOOSABLE_COLUMNS, or none)."""
    unknown = [name for name in columns if name not in CHOOSABLE_COLUMNS]
    if unknown:
        raise ValidationError({"columns": "Choose columns from the list"})
    choice, _ = PlanColumnChoice.objects.select_for_update().get_or_create(user=user)
    choice.columns = [name for name in CHOOSABLE_COLUMNS if name in columns]
    choice.save()
    return choice
