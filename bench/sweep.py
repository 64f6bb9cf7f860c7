"""The daily reminder sweep, timed and query-counted in dry-run mode (nothing is sent)."""

import io
import time

from django.core.management import call_command, get_commands
from django.db import connection
from django.test.utils import CaptureQueriesContext


def measure_sweep(*, today) -> dict:
    if "send_reminders" not in get_commands():
        return {"available": False, "reason": "send_reminders is not in this version yet"}
    output = io.StringIO()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        call_command("send_reminders", dry_run=True, stdout=output)
    seconds = time.perf_counter() - started
    return {
        "available": True,
        "seconds": round(seconds, 2),
        "queries": len(captured.captured_queries),
        "output_tail": output.getvalue()[-500:],
    }
