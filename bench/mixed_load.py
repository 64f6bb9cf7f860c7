"""Mixed load: signed-in people reading while others log progress, against gunicorn.

Readers (wrk, bench/mixed_reads.lua) are regional directors and PDU leaders opening the
action plan, their dashboards and action pages, as fast as the server answers. Writers
post progress updates through the real form (a GET for the form's CSRF token and version,
then the POST) at a steady rate, each to an open action of the writer's own PDU. At the
end every acknowledged write (a redirect after the POST) must be in the database.

Everything is bounded: wrk and the writers run for a fixed time, every request has a
timeout, and gunicorn is stopped at the end whatever happens (bench/load.py).
"""

import http.client
import os
import re
import statistics
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlparse

from django.urls import reverse

from bench.load import BENCH_DIR, gunicorn, run_wrk, session_cookie
from bench.measure import percentile

READS_SCRIPT = BENCH_DIR / "mixed_reads.lua"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="(\d+)"')


def reading_paths(samples) -> list[tuple[object, str]]:
    """(user, path) pairs the readers cycle through: directors and PDU leaders, plan, dashboards, actions."""
    from bench.pages import DIRECTOR, LEADER
    from recommendations.models import Action

    director, leader = samples.users[DIRECTOR], samples.users[LEADER]
    dashboard = reverse("recommendations:regional_dashboard", args=[samples.region.slug])
    plan = reverse("recommendations:action_plan")
    actions = Action.objects.filter(unit=samples.pdu).order_by("pk").values_list("pk", flat=True)[:4]
    pairs = [(director, plan), (director, dashboard), (leader, plan), (leader, dashboard)]
    pairs += [(leader, reverse("recommendations:action_detail", args=[pk])) for pk in actions]
    pairs += [(director, reverse("recommendations:action_detail", args=[pk])) for pk in actions[:2]]
    return pairs


def writing_targets(count: int) -> list[tuple[object, int]]:
    """(PDU leader, action) pairs: open actions of different PDUs, each written by its own PDU's leader."""
    from recommendations.models import OPEN_STATUSES, Action, Role, User

    targets = []
    leaders = User.objects.filter(role=Role.PDU_LEADER, is_active=True, unit__isnull=False).order_by("unit_id", "pk")
    seen_units = set()
    for leader in leaders:
        if leader.unit_id in seen_units:
            continue
        seen_units.add(leader.unit_id)
        action = Action.objects.filter(unit_id=leader.unit_id, status__in=OPEN_STATUSES).order_by("pk").first()
        if action is not None:
            targets.append((leader, action.pk))
        if len(targets) >= count:
            break
    return targets


class Writer:
    """Logs progress on one action through the form, as its PDU leader; keeps its own connection."""

    def __init__(self, base: str, cookie: str, action_pk: int):
        self.host = urlparse(base).netloc
        self.cookies = dict(part.split("=", 1) for part in [cookie])
        self.path = reverse("recommendations:action_log_progress", args=[action_pk])
        self.lock = threading.Lock()  # one write at a time per action: its version moves with each

    def _request(self, method, body=None, headers=None):
        connection = http.client.HTTPConnection(self.host, timeout=10)
        try:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, self.path, body=body, headers={"Cookie": cookie, **(headers or {})})
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, text
        finally:
            connection.close()

    def write(self, narrative: str) -> dict:
        with self.lock:
            status, form = self._request("GET")
            token, version = _CSRF.search(form), _VERSION.search(form)
            if status != 200 or not token or not version:
                return {"ok": False, "error": f"form HTTP {status}", "ms": 0.0}
            body = urlencode(
                {
                    "csrfmiddlewaretoken": token.group(1),
                    "version": version.group(1),
                    "narrative": narrative,
                    "status": "in_progress",
                    "rag": "green",
                }
            )
            started = time.perf_counter()
            status, _ = self._request(
                "POST", body, {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{self.host}/"}
            )
            elapsed = (time.perf_counter() - started) * 1000
            return {"ok": status == 302, "error": "" if status == 302 else f"HTTP {status}", "ms": elapsed}


def _write_steadily(writers, *, rate: float, seconds: float, marker: str) -> list[dict]:
    results, futures = [], []
    with ThreadPoolExecutor(max_workers=max(4, len(writers))) as pool:
        started = time.monotonic()
        for n in range(int(rate * seconds)):
            delay = started + n / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            writer = writers[n % len(writers)]
            narrative = f"{marker} {n}: progress logged under load"
            futures.append((narrative, pool.submit(writer.write, narrative)))
        for narrative, future in futures:
            try:
                results.append({"narrative": narrative, **future.result(timeout=60)})
            except Exception as error:  # a write that failed is reported, not raised
                results.append({"narrative": narrative, "ok": False, "error": repr(error), "ms": 0.0})
    return results


def mixed_load_test(samples, *, env: dict, options, log_path: Path) -> dict:
    """Readers (wrk) and steady writers at once for `options.mixed_seconds`; the figures and checks."""
    from recommendations.models import ProgressUpdate

    reads = [(session_cookie(user), path) for user, path in reading_paths(samples)]
    writers_for = writing_targets(options.writers)
    marker = f"mixed-{uuid.uuid4().hex[:8]}"
    server_env = {**os.environ, **env}
    with gunicorn(env=server_env, workers=options.workers, threads=options.threads, log_path=log_path) as base:
        writers = [Writer(base, session_cookie(leader), pk) for leader, pk in writers_for]
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as listing:
            listing.write("".join(f"{cookie}\t{path}\n" for cookie, path in reads))
        os.environ["MIXED_READS"] = listing.name
        try:
            run_wrk(base + "/", reads[0][0], seconds=3, threads=options.wrk_threads, connections=2, script=READS_SCRIPT)
            outcome = {}
            reader = threading.Thread(
                target=lambda: outcome.update(
                    reads=run_wrk(
                        base + "/",
                        reads[0][0],
                        seconds=options.mixed_seconds,
                        threads=options.wrk_threads,
                        connections=options.connections,
                        script=READS_SCRIPT,
                    )
                )
            )
            reader.start()
            writes = _write_steadily(writers, rate=options.write_rate, seconds=options.mixed_seconds, marker=marker)
            reader.join(timeout=options.mixed_seconds + 90)
        finally:
            os.unlink(listing.name)
    acknowledged = [w["narrative"] for w in writes if w["ok"]]
    stored = set(ProgressUpdate.objects.filter(narrative__startswith=marker).values_list("narrative", flat=True))
    timings = [w["ms"] for w in writes if w["ok"]]
    return {
        "seconds": options.mixed_seconds,
        "reads": outcome.get("reads", {"error": "wrk did not finish"}),
        "read_paths": [path for _, path in reads],
        "writes": {
            "asked_rate": options.write_rate,
            "attempted": len(writes),
            "acknowledged": len(acknowledged),
            "rate": round(len(acknowledged) / options.mixed_seconds, 2),
            "errors": len(writes) - len(acknowledged),
            "first_errors": sorted({w["error"] for w in writes if not w["ok"]})[:5],
            "p50_ms": round(statistics.median(timings), 1) if timings else None,
            "p95_ms": round(percentile(timings, 0.95), 1) if timings else None,
            "missing_after": len(set(acknowledged) - stored),
        },
    }
