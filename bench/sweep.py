"""The daily reminder sweep, timed and query-counted in dry-run mode (nothing is written or sent).

The sweep runs for each day of the coming week (overdue reminders repeat weekly, so a
week covers every pattern); the busiest of those days, the one with the most
reminders due, is the figure reported.
"""

import datetime as dt
import io
import re
import time

from django.core.management import call_command, get_commands
from django.db import connection
from django.test.utils import CaptureQueriesContext

DUE_LINE = re.compile(r"^\s+.+: (\d+) due$", re.MULTILINE)


def _sweep(day: dt.date) -> dict:
    output = io.StringIO()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        call_command("send_reminders", date=day.isoformat(), dry_run=True, stdout=output)
    seconds = time.perf_counter() - started
    return {
        "day": day.isoformat(),
        "seconds": round(seconds, 2),
        "queries": len(captured.captured_queries),
        "reminders_due": sum(int(n) for n in DUE_LINE.findall(output.getvalue())),
    }


def measure_sweep(*, today: dt.date) -> dict:
    if "send_reminders" not in get_commands():
        return {"available": False, "reason": "send_reminders is not in this version yet"}
    days = [_sweep(today + dt.timedelta(days=n)) for n in range(7)]
    busiest = max(days, key=lambda d: (d["reminders_due"], d["seconds"]))
    return {
        "available": True,
        **busiest,
        "slowest_seconds": max(d["seconds"] for d in days),
        "queries_range": [min(d["queries"] for d in days), max(d["queries"] for d in days)],
        "days": days,
    }
