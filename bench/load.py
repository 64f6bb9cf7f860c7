"""Load test: gunicorn on the loopback interface, driven by wrk with a signed-in session.

Everything is bounded: wrk runs for a fixed time, every wait has a timeout, and the
gunicorn started here is stopped at the end whatever happens.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
WRK_SCRIPT = BENCH_DIR / "wrk_report.lua"


def session_cookie(user) -> str:
    """A session for `user` made directly in the session store, as signing in would."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "signin.backends.PasswordBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    now = int(time.time())
    store["signed_in_at"] = now
    store["last_seen_at"] = now
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(*, env: dict, workers: int, threads: int, log_path: Path):
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "tracker.wsgi:application",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
        "--timeout=30",
        # A gthread worker accepts every connection offered, busy or not, and a kept-alive
        # connection stays with it: wrk's four could all land on one worker while the other
        # idled, halving a page's rate at random between runs (13 or 25 requests a second for
        # the plan). Taking no more connections than threads spreads them over the workers
        # (each closed after its response, a negligible cost on the loopback interface: no
        # keep-alive, which gunicorn would otherwise warn it cannot give).
        f"--worker-connections={threads}",
        "--keep-alive=0",
    ]
    log = open(log_path, "w")  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


def _wait_until_up(base, process, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode}; see bench/results/gunicorn.log")
        try:
            urllib.request.urlopen(f"{base}/sign-in/", timeout=2).read()  # noqa: S310 - loopback only
            return
        except urllib.error.HTTPError:
            return  # it answers, whatever the page says
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not start within {timeout} seconds")


def check_page(base: str, path: str, cookie: str) -> int:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run_wrk(url: str, cookie: str, *, seconds: int, threads: int, connections: int, script: Path = WRK_SCRIPT) -> dict:
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (apt-get install -y wrk)")
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=5s",
        "--latency",
        f"--script={script}",
        f"--header=Cookie: {cookie}",
        url,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    line = next(line for line in completed.stdout.splitlines() if line.startswith("WRK_JSON "))
    raw = json.loads(line.removeprefix("WRK_JSON "))
    errors = raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"]
    return {
        "url": url,
        "seconds": seconds,
        "connections": connections,
        "requests": raw["requests"],
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "non2xx": raw["non2xx"],
        "socket_errors": errors,
    }


def load_test(targets: list[tuple[str, str, object]], *, env: dict, options, log_path: Path) -> list[dict]:
    """`targets` are (name, path, user). Returns one result per target."""
    results = []
    server_env = {**os.environ, **env}
    with gunicorn(env=server_env, workers=options.workers, threads=options.threads, log_path=log_path) as base:
        for name, path, user in targets:
            cookie = session_cookie(user)
            status = check_page(base, path, cookie)
            if status != 200:
                results.append({"page": name, "url": base + path, "error": f"HTTP {status} before the test"})
                continue
            # A short warm-up so that both workers have loaded templates and connections.
            run_wrk(base + path, cookie, seconds=3, threads=options.wrk_threads, connections=options.connections)
            result = run_wrk(
                base + path,
                cookie,
                seconds=options.load_seconds,
                threads=options.wrk_threads,
                connections=options.connections,
            )
            results.append({"page": name, **result})
            print(
                f"  load {name}: {result['rps']} req/s, p95 {result['p95_ms']} ms, "
                f"non-2xx {result['non2xx']}, socket errors {result['socket_errors']}",
                flush=True,
            )
    return results
