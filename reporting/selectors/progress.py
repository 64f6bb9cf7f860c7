"""Progress over time (a burn-up): actions in the plan, completed and verified, month by month.

One aggregate query, whatever the number of actions: the database counts actions by
the months they were created, completed and verified, and the running totals are
added up here.
"""

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from recommendations.models import ActionStatus

from ..charts import LineChart, Series, line_chart


@dataclass(frozen=True)
class MonthProgress:
    month: date  # the first of the month
    as_at: date  # the month's last day, or today for the current month
    total: int
    completed: int  # completed, whether or not verified yet
    verified: int

    @property
    def open(self):
        return self.total - self.completed


def _month(value):
    if value is None:
        return None
    if hasattr(value, "date"):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def progress_by_month(actions, *, today: date) -> list[MonthProgress]:
    """Running totals at the end of each month from the first action to this month.

    Cancelled actions leave the plan and are not counted; an action returned for more
    evidence counts as completed again only when it is next completed.
    """
    done = [ActionStatus.COMPLETED, ActionStatus.VERIFIED]
    # One query: actions counted by (month created, month completed, month verified).
    rows = (
        actions.exclude(status=ActionStatus.CANCELLED)
        .order_by()
        .annotate(
            created_month=TruncMonth("created_at"),
            completed_month=Case(When(status__in=done, then=TruncMonth("completed_at"))),
            verified_month=Case(When(status=ActionStatus.VERIFIED, then=TruncMonth("verified_at"))),
        )
        .values("created_month", "completed_month", "verified_month")
        .annotate(n=Count("pk"))
    )
    created, completed, verified = Counter(), Counter(), Counter()
    for row in rows:
        for counter, key in ((created, "created_month"), (completed, "completed_month"), (verified, "verified_month")):
            month = _month(row[key])
            if month is not None:
                counter[month] += row["n"]
    months_seen = set(created) | set(completed) | set(verified)
    if not months_seen:
        return []
    month, last = min(months_seen), today.replace(day=1)
    totals = {"total": 0, "completed": 0, "verified": 0}
    result = []
    while month <= last:
        totals["total"] += created.get(month, 0)
        totals["completed"] += completed.get(month, 0)
        totals["verified"] += verified.get(month, 0)
        month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        result.append(MonthProgress(month, min(month_end, today), **totals))
        month = _next_month(month)
    return result


def progress_chart(unit, months: list[MonthProgress]) -> LineChart:
    latest = months[-1] if months else None
    description = (
        f"At {latest.as_at:%d %B %Y}: {latest.total} actions in the plan, {latest.completed} completed "
        f"and {latest.verified} verified."
        if latest
        else "No actions yet."
    )
    return line_chart(
        chart_id=f"progress-{unit.slug}",
        title=f"{unit.name}: actions completed and verified over time",
        description=description,
        series=[
            Series("Actions in the plan", [(m.as_at, m.total) for m in months]),
            Series("Completed", [(m.as_at, m.completed) for m in months]),
            Series("Verified", [(m.as_at, m.verified) for m in months]),
        ],
    )


__all__ = ["MonthProgress", "progress_by_month", "progress_chart"]
