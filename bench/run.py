"""The performance benchmark: one command, national-scale data, every main page.

    python bench/run.py [--actions 50000] [--compare 5000] [--repeat 50] [--load-seconds 30]

Fills a PostgreSQL database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/tracker_bench,
created if missing) with generated data at two sizes, measures each page's SQL queries and
server time in process, explains the action plan's queries, times the reminder sweep,
then load-tests gunicorn with wrk. Prints a table, writes bench/results/latest.json and
the committed summary bench/LATEST.md. See bench/README.md.
"""

import argparse
import datetime as dt
import json
import os
import secrets
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tracker_bench"
# As in production, where sessions are read from Redis (tracker.settings).
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=50_000, help="Actions in the large data set.")
    parser.add_argument("--compare", type=int, default=5_000, help="Actions in the small data set (0: skip).")
    parser.add_argument("--updates-per-action", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=5, help="Requests before timing each page.")
    parser.add_argument("--repeat", type=int, default=50, help="Timed requests per page.")
    parser.add_argument("--load-seconds", type=int, default=30, help="Length of each load test (0: skip).")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections.")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker.")
    parser.add_argument("--mixed-seconds", type=int, default=30, help="Length of the mixed load test (0: skip).")
    parser.add_argument("--write-rate", type=float, default=5.0, help="Progress updates a second in the mixed test.")
    parser.add_argument("--writers", type=int, default=20, help="PDU leaders writing in the mixed test.")
    parser.add_argument(
        "--growth",
        type=int,
        default=0,
        help="Also measure at this many actions (e.g. 500000) and report each page's median as a ratio of --actions'. "
        "Measured in a database of its own (the main one's name + '_growth'), filled once and kept: "
        "500,000 actions take several minutes to generate.",
    )
    parser.add_argument(
        "--regenerate-growth",
        action="store_true",
        help="Fill the growth database anew even if it already holds --growth actions.",
    )
    parser.add_argument(
        "--keep-data",
        action="store_true",
        help="Measure the data already in the database (one size, as generated before) instead of generating.",
    )
    parser.add_argument(
        "--allow-flush",
        action="store_true",
        help="Empty the database even if its name does not contain 'bench' and it holds data.",
    )
    parser.add_argument(
        "--no-summary", action="store_true", help="Do not rewrite bench/LATEST.md and the figures in README.md."
    )
    return parser.parse_args(argv)


def configure_environment():
    """Production-like settings: DEBUG off, a fresh secret key, loopback hosts only."""
    sys.path.insert(0, str(PROJECT_DIR))
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    if not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        sys.exit("The benchmark needs DATABASE_URL to point at a PostgreSQL database.")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    os.environ["DEBUG"] = "0"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(64)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def admin_connection(url: str):
    """The name of the database `url` points at, and an autocommit connection to the server's `postgres` one."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    connection = psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    )
    return config["NAME"], connection


def ensure_database(url: str, name: str | None = None):
    """Create the database of `url` (or the one called `name` on the same server) if it is missing."""
    url_name, admin = admin_connection(url)
    name = name or url_name
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}")
    return name


def fill(actions: int, args, today):
    from django.db import connection

    from bench.generate_scale_data import generate_from_args
    from bench.generate_scale_data import parse_args as generation_args

    started = time.perf_counter()
    generate_from_args(
        generation_args(
            [
                f"--actions={actions}",
                f"--updates-per-action={args.updates_per_action}",
                f"--seed={args.seed}",
                f"--today={today.isoformat()}",
                "--flush",
                "--quiet",
            ]
        )
    )
    generated = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return round(generated, 1)


def use_growth_database(args):
    """Point the connection at the growth database (created and migrated if need be).

    True when it must be filled: it does not hold exactly --growth actions (as the same
    generator makes them), or --regenerate-growth was given."""
    from django.core.management import call_command
    from django.db import connection

    from recommendations.models import Action

    name = f"{connection.settings_dict['NAME']}_growth"
    ensure_database(os.environ["DATABASE_URL"], name)
    connection.close()
    connection.settings_dict["NAME"] = name
    call_command("migrate", verbosity=0)
    held = Action.objects.count()
    if held == args.growth and not args.regenerate_growth:
        print(f"\n== {name} already holds {held:,} actions: measuring them as they are", flush=True)
        return False
    return True


def measure_size(actions: int, args, today, *, fill_data: bool = True) -> dict:
    from django.db import connection

    from bench.explain import explain_queries
    from bench.measure import SignedInClients, measure_page, progress_writer
    from bench.pages import ADMIN_PAGE, PAGES, find_samples, resolve
    from bench.sweep import measure_sweep
    from tracker.garbage_collection import tune_for_requests

    if args.keep_data or not fill_data:
        print("\n== the data already in the database", flush=True)
        seconds = None
    else:
        print(f"\n== {actions:,} actions: generating data", flush=True)
        seconds = fill(actions, args, today)
    from recommendations.models import Action, ProgressUpdate

    counts = {"actions": Action.objects.count(), "progress_updates": ProgressUpdate.objects.count()}
    print(f"   {counts['actions']:,} actions, {counts['progress_updates']:,} updates in {seconds} s", flush=True)
    samples = find_samples()
    clients = SignedInClients()
    # As each gunicorn worker does once it has loaded the app (gunicorn.conf.py).
    tune_for_requests()
    pages = {}
    for page in [*PAGES, ADMIN_PAGE]:
        user = samples.users[page.role]
        url = resolve(page, samples, clients.fetch_text(user))
        if url is None:
            pages[page.key] = {"title": page.title, "role": page.role, "available": False}
            print(f"   {page.title:<36} not available yet", flush=True)
            continue
        write = progress_writer(samples)
        result = measure_page(clients.for_user(user), url, warmup=args.warmup, repeat=args.repeat, write=write)
        result.update(title=page.title, role=page.role, available=True)
        if page.explain:
            result["explain"] = explain_queries(result["sql"])
        pages[page.key] = result
        print(
            f"   {page.title:<36} {result['status']} {result['queries']:>3} queries "
            f"median {result['median_ms']:>7.1f} ms  p95 {result['p95_ms']:>7.1f} ms  "
            f"cold median {result['cold_median_ms']:>7.1f} ms  p95 {result['cold_p95_ms']:>7.1f} ms",
            flush=True,
        )
    connection.close()
    return {
        "generation_seconds": seconds,
        "counts": counts,
        "samples": {
            "pdu": samples.pdu.slug,
            "region": samples.region.slug,
            "users": {role: user.username for role, user in samples.users.items()},
        },
        "pages": pages,
        "sweep": measure_sweep(today=today),
    }


def run_load(args, size_result) -> list:
    from django.urls import reverse

    from bench.load import load_test
    from bench.pages import DIRECTOR, PAGES, find_samples
    from bench.report import LOAD_REFERENCE

    samples = find_samples()
    wanted = {"plan": "Action plan", "dashboard_region": "Regional dashboard"}
    targets = []
    for page in PAGES:
        measured = size_result["pages"].get(page.key, {})
        if page.key in wanted and measured.get("available"):
            path = measured["url"]
            targets.append((page.key, path, samples.users[DIRECTOR]))
    if not targets:
        print("   no load-test pages available yet")
        return []
    # The reference: a signed-in page that reads no data (the accessibility statement). What it
    # serves is the most any page can serve on this machine with this stack and session.
    targets.append((LOAD_REFERENCE, reverse("recommendations:accessibility"), samples.users[DIRECTOR]))
    print(f"\n== Load test: gunicorn, {args.workers} workers, wrk {args.connections} connections", flush=True)
    env = {"ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "0", "SECURE_SSL_REDIRECT": "0"}
    return load_test(targets, env=env, options=args, log_path=RESULTS_DIR / "gunicorn.log")


def run_mixed(args) -> dict:
    from bench.mixed_load import mixed_load_test
    from bench.pages import find_samples

    print(
        f"\n== Mixed load: gunicorn {args.workers} workers; readers (wrk, {args.connections} connections) "
        f"while {args.write_rate:g} progress updates a second are posted",
        flush=True,
    )
    env = {"ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "0", "SECURE_SSL_REDIRECT": "0"}
    result = mixed_load_test(find_samples(), env=env, options=args, log_path=RESULTS_DIR / "gunicorn-mixed.log")
    reads, writes = result["reads"], result["writes"]
    print(
        f"  reads {reads.get('rps')} req/s p95 {reads.get('p95_ms')} ms non-2xx {reads.get('non2xx')}; "
        f"writes {writes['rate']}/s p95 {writes['p95_ms']} ms errors {writes['errors']} "
        f"missing afterwards {writes['missing_after']}",
        flush=True,
    )
    return result


def main(argv=None):
    args = parse_args(argv)
    if args.growth and (args.growth <= args.actions or args.keep_data):
        sys.exit("--growth must be larger than --actions, and cannot be used with --keep-data.")
    configure_environment()
    RESULTS_DIR.mkdir(exist_ok=True)
    name = ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from bench.report import evaluate, machine, print_report, update_readme, write_summary
    from bench.scale_data import database_has_data

    call_command("migrate", verbosity=0)
    if database_has_data() and "bench" not in name and not args.allow_flush:
        sys.exit(f"Database {name} holds data; the benchmark empties it. Use a *_bench database or --allow-flush.")
    print("Collecting static files (DEBUG is off, so pages need the manifest)...", flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)

    today = timezone.localdate()
    sizes = sorted({n for n in (args.compare, args.actions, args.growth) if n > 0})
    if args.keep_data:
        from recommendations.models import Action

        sizes = [Action.objects.count()]
        args.actions = sizes[0]
    results = {
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "today": today.isoformat(),
        "machine": machine(),
        "options": vars(args),
        "sizes": {},
        "load": [],
    }
    for actions in sizes:
        # The growth size last: its database is another one, kept between runs.
        fill_data = use_growth_database(args) if actions == args.growth else True
        results["sizes"][str(actions)] = measure_size(actions, args, today, fill_data=fill_data)
        if actions == args.actions:
            # Load tests on the main size, while its data is in the database.
            # A load test that cannot run is reported as such, with the figures measured so far.
            if args.load_seconds > 0:
                try:
                    results["load"] = run_load(args, results["sizes"][str(actions)])
                except RuntimeError as error:
                    results["load"] = [{"page": "all", "error": str(error)}]
            if args.mixed_seconds > 0:
                try:
                    results["mixed"] = run_mixed(args)
                except RuntimeError as error:
                    results["mixed"] = {"error": str(error)}
    results["machine"]["load_average_end"] = [round(n, 2) for n in os.getloadavg()]
    results["targets"] = evaluate(results)

    (RESULTS_DIR / "latest.json").write_text(json.dumps(results, indent=2, default=str))
    print_report(results)
    if not args.no_summary:
        write_summary(results, BENCH_DIR / "LATEST.md")
        update_readme(results, PROJECT_DIR / "README.md")
        print(f"\nWrote {RESULTS_DIR / 'latest.json'}, {BENCH_DIR / 'LATEST.md'} and the figures in README.md")
    return 0 if all(t["met"] for t in results["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
