"""Progress over time (a burn-up): actions in the plan, completed and verified, month by month.

One aggregate query, whatever the number of actions: the database counts actions by
the months they were created, completed and verified (recommendations.selectors.month_counts),
and the running totals are added up here. The dashboards keep those counts in each
inspection's part of their figures and give them here already added up.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from recommendations.selectors.month_counts import add_rows, as_rows, month_counts

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


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _running_totals(months: dict, *, today: date, first: date | None = None) -> list[MonthProgress]:
    """Running totals at the end of each month from `first` (or the first month seen) to this month,
    of {month: [created, completed, verified]}."""
    if not months:
        return []
    month, last = first or min(months), today.replace(day=1)
    total = completed = verified = 0
    result = []
    while month <= last:
        created_in, completed_in, verified_in = months.get(month, (0, 0, 0))
        total, completed, verified = total + created_in, completed + completed_in, verified + verified_in
        month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        result.append(MonthProgress(month, min(month_end, today), total, completed, verified))
        month = _next_month(month)
    return result


def progress_by_month(actions, *, today: date) -> list[MonthProgress]:
    """Running totals at the end of each month from the first action to this month.

    Cancelled actions leave the plan and are not counted; an action returned for more
    evidence counts as completed again only when it is next completed.
    """
    return _running_totals(month_counts(actions).get((), {}), today=today)


@dataclass(frozen=True)
class GroupedProgress:
    """Progress of the whole and of each group (e.g. each region), on the same months."""

    whole: list[MonthProgress]
    groups: dict  # group key -> list[MonthProgress]; a group with no action is absent


def grouped_progress(groups: dict, *, today: date) -> GroupedProgress:
    """The whole's and each group's progress from {group: {month: [created, completed, verified]}}
    (recommendations.selectors.month_counts). Every group's months start where the whole's do,
    so their charts line up.
    """
    whole: dict = {}
    for months in groups.values():
        add_rows(whole, as_rows(months))
    progress = _running_totals(whole, today=today)
    first = progress[0].month if progress else None
    return GroupedProgress(
        whole=progress,
        groups={group: _running_totals(months, today=today, first=first) for group, months in groups.items()},
    )


def progress_from_counts(months: dict, *, today: date) -> list[MonthProgress]:
    """progress_by_month from {month: [created, completed, verified]} counted before."""
    return _running_totals(months, today=today)


def progress_chart(unit, months: list[MonthProgress]) -> LineChart:
    return burn_up_chart(chart_id=f"progress-{unit.slug}", name=unit.name, months=months)


def burn_up_chart(*, chart_id: str, name: str, months: list[MonthProgress]) -> LineChart:
    """The burn-up of `months` for anything with a name: a unit, or the whole country."""
    latest = months[-1] if months else None
    description = (
        f"At {latest.as_at:%d %B %Y}: {latest.total} actions in the plan, {latest.completed} completed "
        f"and {latest.verified} verified."
        if latest
        else "No actions yet."
    )
    return line_chart(
        chart_id=chart_id,
        title=f"{name}: actions completed and verified over time",
        description=description,
        series=[
            Series("Actions in the plan", [(m.as_at, m.total) for m in months]),
            Series("Completed", [(m.as_at, m.completed) for m in months]),
            Series("Verified", [(m.as_at, m.verified) for m in months]),
        ],
    )


__all__ = [
    "GroupedProgress",
    "MonthProgress",
    "burn_up_chart",
    "grouped_progress",
    "progress_by_month",
    "progress_chart",
    "progress_from_counts",
]
