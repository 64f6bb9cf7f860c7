"""Progress over time (a burn-up): actions in the plan, completed and verified, month by month.

Three aggregate queries, whatever the number of actions: the database counts actions
by the month they were created, completed and verified, and the running totals are
added up here.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
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


def _per_month(queryset, field):
    rows = queryset.annotate(month=TruncMonth(field)).values("month").annotate(n=Count("pk")).order_by()
    counts = {}
    for row in rows:
        month = row["month"]
        if month is None:
            continue
        if hasattr(month, "date"):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        counts[month.replace(day=1)] = counts.get(month.replace(day=1), 0) + row["n"]
    return counts


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def progress_by_month(actions, *, today: date) -> list[MonthProgress]:
    """Running totals at the end of each month from the first action to this month.

    Cancelled actions leave the plan and are not counted; an action returned for more
    evidence counts as completed again only when it is next completed.
    """
    live = actions.exclude(status=ActionStatus.CANCELLED).order_by()
    created = _per_month(live, "created_at")
    completed = _per_month(
        live.filter(status__in=[ActionStatus.COMPLETED, ActionStatus.VERIFIED], completed_at__isnull=False),
        "completed_at",
    )
    verified = _per_month(live.filter(status=ActionStatus.VERIFIED, verified_at__isnull=False), "verified_at")
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
