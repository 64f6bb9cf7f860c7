"""Actions counted by the months they were created, completed and verified: the burn-up's raw figures.

Read by reporting's progress charts, and kept in each inspection's part of the dashboards'
figures (dashboard_parts), so that a dashboard's chart is added up from the parts.
"""

from django.db.models import Count, DateField, Value
from django.db.models.functions import TruncMonth

from ..models import ActionStatus

KINDS = ("created", "completed", "verified")


def month_counts(actions, *keys: str) -> dict:
    """One query: actions counted by (keys, month) three times over, for the months they
    were created, completed and verified.

    Returns {values of `keys`: {month: [created, completed, verified]}}, the actions by month
    (the first of the month, a date). Only live actions count, as on every figure (a draft in a
    plan awaiting sign-off is not yet in the plan), and cancelled actions leave the plan.
    Each count is grouped on its own month (a UNION of three), not on the three months
    together, which would return a row for nearly every action.
    """
    done = [ActionStatus.COMPLETED, ActionStatus.VERIFIED]
    live = actions.live().exclude(status=ActionStatus.CANCELLED).order_by()
    kinds = {
        "created": (live, "created_at"),
        "completed": (live.filter(status__in=done), "completed_at"),
        "verified": (live.filter(status=ActionStatus.VERIFIED), "verified_at"),
    }
    counted = [
        # The first of the month in the service's time zone, as a date: the database
        # works it out, rather than Python converting thousands of times.
        rows.annotate(kind=Value(kind), month=TruncMonth(column, output_field=DateField()))
        .values(*keys, "kind", "month")
        .annotate(n=Count("pk"))
        for kind, (rows, column) in kinds.items()
    ]
    kind_index = {kind: index for index, kind in enumerate(KINDS)}
    groups: dict = {}
    for row in counted[0].union(*counted[1:], all=True):
        months = groups.setdefault(tuple(row[key] for key in keys), {})
        if row["month"] is not None:
            months.setdefault(row["month"], [0, 0, 0])[kind_index[row["kind"]]] += row["n"]
    return groups


def as_rows(months: dict) -> tuple:
    """{month: [created, completed, verified]} as (month, created, completed, verified) rows:
    compact to keep in a cached part, and quick to add up."""
    return tuple((month, *figures) for month, figures in sorted(months.items()))


def add_rows(into: dict, rows) -> None:
    """Add (month, created, completed, verified) rows to {month: [created, completed, verified]}."""
    for month, created, completed, verified in rows:
        figures = into.get(month)
        if figures is None:
            into[month] = [created, completed, verified]
        else:
            figures[0] += created
            figures[1] += completed
            figures[2] += verified
