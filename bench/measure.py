"""In-process measurement of one page: SQL queries and server time, through Django's test client.

No page is cached. The dashboards' figures are, in part: each inspection's counts are kept
(in Redis) under its figures version and the day, and worked out again once a write raises
the version (recommendations.selectors.dashboard_parts). A page is timed twice over: *cold*,
each request made just after a real write to the plan (a progress update through the service,
by its owner, on an action of the busiest PDU, which every measured dashboard shows: their
requests then work that inspection's figures out again), as most requests are met while people
log progress; and repeated with no write between requests.
"""

import itertools
import math
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from recommendations import services
from recommendations.models import OPEN_STATUSES, Action, ActionStatus


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _read(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


class SignedInClients:
    """One test client per user, signed in without a password (force_login)."""

    def __init__(self):
        self._clients = {}

    def for_user(self, user) -> Client:
        if user.pk not in self._clients:
            client = Client()
            client.force_login(user)
            self._clients[user.pk] = client
        return self._clients[user.pk]

    def fetch_text(self, user):
        def fetch(url):
            response = self.for_user(user).get(url)
            return _read(response).decode("utf-8", "replace")

        return fetch


def progress_writer(samples):
    """A write to the plan as people make them (not timed): a progress update through the service,
    by its owner, on an open action of the busiest PDU, its status moved each time so that the
    figures change."""
    action = Action.objects.live().filter(unit=samples.pdu, status__in=OPEN_STATUSES, owner__isnull=False)
    action = action.order_by("pk").first()
    statuses = itertools.cycle([ActionStatus.BLOCKED, ActionStatus.IN_PROGRESS])

    def write():
        current = Action.objects.select_related("owner").get(pk=action.pk)
        services.log_progress(
            action=current,
            author=current.owner,
            narrative="Progress logged by the benchmark.",
            status=next(statuses),
            expected_version=current.version,
        )

    return write


def _timed(client, url, *, write=None) -> tuple[float, int]:
    if write is not None:
        write()
    started = time.perf_counter()
    response = client.get(url)
    size = len(_read(response))
    return (time.perf_counter() - started) * 1000, size


def _summary(timings, prefix=""):
    return {
        f"{prefix}median_ms": round(statistics.median(timings), 2),
        f"{prefix}p95_ms": round(percentile(timings, 0.95), 2),
    }


def measure_page(client: Client, url: str, *, warmup: int, repeat: int, write) -> dict:
    """Warm up; count queries (the least of two requests, so that an occasional session write
    does not count) and keep their SQL; then time `repeat` requests each made just after
    `write` to the plan (cold) and `repeat` requests with no write between them."""
    status, size = None, 0
    for _ in range(warmup):
        response = client.get(url)
        status, size = response.status_code, len(_read(response))
    counts, queries = [], []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            _read(response)
        counts.append(len(captured.captured_queries))
        queries = queries or [q["sql"] for q in captured.captured_queries]
    status = response.status_code
    with CaptureQueriesContext(connection) as captured:
        _read(client.get(url))
    cached_queries = len(captured.captured_queries)
    repeated = [_timed(client, url)[0] for _ in range(repeat)]
    cold = []
    for _ in range(repeat):
        elapsed, size = _timed(client, url, write=write)
        cold.append(elapsed)
    return {
        "url": url,
        "status": status,
        "bytes": size,
        "queries": min(counts),
        "cached_queries": cached_queries,
        **_summary(repeated),
        **_summary(cold, "cold_"),
        "sql": queries,
    }
