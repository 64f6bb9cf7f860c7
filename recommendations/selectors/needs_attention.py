"""What a dashboard says needs attention: each unit's red actions, with why they are red.

Red is the derived rating (recommendations.models.rag): overdue, or no progress update for
RAG_STALE_AFTER_DAYS days. Each action comes with what a director asks first: the owner, how
late it is, whether it is blocked, and the owner's latest update and its date. Two queries
however many units: the database ranks each unit's red actions (soonest due first) and keeps
the first few, then reads those with their owners and latest updates.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber

from ..models import RAG, Action, ActionStatus, OrgUnit, ProgressUpdate
from ..models.actions import has_current_evidence
from ..models.rag import derived_rag_expression

# A dashboard summarises: a unit's first few red actions, and a link to every one on the plan.
SHOWN_PER_UNIT = 5
SHOWN_FIELDS = ("description", "due_date", "status", "unit_id")
SHOWN_OWNER_FIELDS = ("owner__first_name", "owner__last_name", "owner__username")


@dataclass
class UnitAttention:
    unit: OrgUnit
    actions: list = field(default_factory=list)
    total: int = 0  # every red action of the unit, shown or not

    @property
    def more(self) -> int:
        return self.total - len(self.actions)


def needs_attention(*, units: list[OrgUnit], today: date) -> list[UnitAttention]:
    """For each of `units` with red live actions: up to SHOWN_PER_UNIT of them.

    `units` are units the user sees (a dashboard's own units): every action of theirs is one
    they may see (recommendations.scope), so the actions are chosen by their unit alone.
    """
    by_unit = {"partition_by": [F("unit_id")]}
    ranked = (
        Action.objects.live()
        .filter(unit__in=[unit.pk for unit in units])
        .alias(derived=derived_rag_expression(today=today, has_evidence=has_current_evidence()))
        .filter(derived=RAG.RED)
        .annotate(
            place=Window(RowNumber(), order_by=[F("due_date").asc(), F("pk").asc()], **by_unit),
            unit_total=Window(Count("pk"), **by_unit),
        )
        .filter(place__lte=SHOWN_PER_UNIT)
        .order_by()
    )
    totals = dict(ranked.values_list("pk", "unit_total"))
    if not totals:
        return []
    # The latest update of the few actions shown, in a second query: in the first, the
    # database would look it up for every red action before keeping the first few.
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-id")
    actions = (
        Action.objects.filter(pk__in=totals)
        .annotate(
            latest_text=Subquery(latest.values("narrative")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        )
        .select_related("owner")
        .only(*SHOWN_FIELDS, *SHOWN_OWNER_FIELDS)
        .order_by("unit_id", F("due_date").asc(), "pk")
    )
    attention = {unit.pk: UnitAttention(unit=unit) for unit in units}
    for action in actions:
        action.days_overdue_value = action.days_overdue(today=today)
        action.is_blocked = action.status == ActionStatus.BLOCKED
        group = attention[action.unit_id]
        group.actions.append(action)
        group.total = totals[action.pk]
    return [group for group in attention.values() if group.actions]
