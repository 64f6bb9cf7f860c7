"""In-process measurement of one page: SQL queries and server time, through Django's test client."""

import math
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


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


def measure_page(client: Client, url: str, *, warmup: int, repeat: int) -> dict:
    """Warm up, count queries (the least of two requests, so that an occasional session
    write does not count), then time `repeat` requests."""
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
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        size = len(_read(response))
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "url": url,
        "status": status,
        "bytes": size,
        "queries": min(counts),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "sql": queries,
    }
