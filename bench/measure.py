"""In-process measurement of one page: SQL queries and server time, through Django's test client.

No page keeps what it works out: every request runs its queries. A page is still timed
twice over: *cold*, each request made just after a write to the plan (as most requests
are met while people log progress), and repeated with no write between requests.
"""

import math
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recommendations.models import Action


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


def _write_to_the_plan():
    """A write to the plan, as a progress update makes (not timed)."""
    action = Action.objects.order_by("-pk").only("pk").first()
    if action is not None:
        Action.objects.filter(pk=action.pk).update(updated_at=timezone.now())


def _timed(client, url, *, cold: bool) -> tuple[float, int]:
    if cold:
        _write_to_the_plan()
    started = time.perf_counter()
    response = client.get(url)
    size = len(_read(response))
    return (time.perf_counter() - started) * 1000, size


def _summary(timings, prefix=""):
    return {
        f"{prefix}median_ms": round(statistics.median(timings), 2),
        f"{prefix}p95_ms": round(percentile(timings, 0.95), 2),
    }


def measure_page(client: Client, url: str, *, warmup: int, repeat: int) -> dict:
    """Warm up; count queries (the least of two requests, so that an occasional session write
    does not count) and keep their SQL; then time `repeat` requests each made just after a
    write to the plan (cold) and `repeat` requests with no write between them."""
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
    repeated = [_timed(client, url, cold=False)[0] for _ in range(repeat)]
    cold = []
    for _ in range(repeat):
        elapsed, size = _timed(client, url, cold=True)
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
