"""How long restore_data takes to restore a backup of about 75,000 rows.

    python bench/restore_speed.py [--actions 5300] [--updates-per-action 5] [--no-summary]

Fills a PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/tracker_restore_bench, created if missing, emptied
first) with bench/generate_scale_data.py, backs it up with `manage.py backup_data`,
creates a second database (the same name + `_restored`, dropped first if it exists),
migrates it and restores the backup into it with `manage.py restore_data`, timing each
command as an operator would run it. Prints the figures, writes
bench/results/restore.json and the "Backup and restore" section of bench/LATEST.md.
"""

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench.run import admin_connection  # noqa: E402
from bench.sections import write_section  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tracker_restore_bench"
TARGET_SECONDS = 60


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--actions", type=int, default=5_300, help="Actions (about 11.5 rows each, on 14,000 of units and reports)."
    )
    parser.add_argument("--updates-per-action", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-summary", action="store_true", help="Do not rewrite bench/LATEST.md's section.")
    return parser.parse_args(argv)


def _recreate(admin, name: str, *, keep: bool) -> None:
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if exists and not keep:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    if not exists or not keep:
        admin.execute(f'CREATE DATABASE "{name}"')


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: list[str], database_url: str) -> tuple[float, str, float]:
    """Run a manage.py-style command against `database_url`: its wall-clock seconds, output and CPU seconds.

    The CPU seconds are the command's own (not PostgreSQL's), which a loaded machine inflates less.
    """
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "tracker.settings"}
    started, cpu = time.perf_counter(), _cpu_of_children()
    result = subprocess.run([sys.executable, *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return round(seconds, 1), result.stdout + result.stderr, round(_cpu_of_children() - cpu, 1)


def _manifest_counts(backup: Path) -> dict[str, int]:
    import zipfile

    with zipfile.ZipFile(backup) as archive:
        return json.loads(archive.read("manifest.json"))["counts"]


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def measure(args) -> dict:
    source_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    source_name, admin = admin_connection(source_url)
    target_name = f"{source_name}_restored"
    target_url = source_url.rsplit("/", 1)[0] + "/" + target_name
    load_start = [round(n, 2) for n in os.getloadavg()]
    with admin:
        _recreate(admin, source_name, keep=True)
        _recreate(admin, target_name, keep=False)
    manage = str(PROJECT_DIR / "manage.py")
    generate = str(BENCH_DIR / "generate_scale_data.py")
    print(f"Generating {args.actions:,} actions in {source_name}...", flush=True)
    _run([manage, "migrate", "--noinput", "-v0"], source_url)
    generation, _, _ = _run(
        [
            generate,
            f"--actions={args.actions}",
            f"--updates-per-action={args.updates_per_action}",
            f"--seed={args.seed}",
            "--flush",
            "--quiet",
        ],
        source_url,
    )
    with tempfile.TemporaryDirectory(prefix="tracker-restore-bench-") as workdir:
        backup = Path(workdir) / "backup.zip"
        media = {"MEDIA_ROOT": str(Path(workdir) / "media")}
        os.environ.update(media)
        backup_seconds, _, _ = _run([manage, "backup_data", "--output", str(backup)], source_url)
        counts = _manifest_counts(backup)
        print(f"Backed up {sum(counts.values()):,} rows in {backup_seconds} s; migrating {target_name}...", flush=True)
        _run([manage, "migrate", "--noinput", "-v0"], target_url)
        os.environ["MEDIA_ROOT"] = str(Path(workdir) / "restored-media")
        restore_seconds, output, restore_cpu = _run([manage, "restore_data", str(backup)], target_url)
        print(output.strip(), flush=True)
    _, admin = admin_connection(source_url)
    with admin:
        admin.execute(f'DROP DATABASE "{target_name}" WITH (FORCE)')
    return {
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average": load_start,
        "load_average_end": [round(n, 2) for n in os.getloadavg()],
        "actions": args.actions,
        "generation_seconds": generation,
        "rows": sum(counts.values()),
        "largest": sorted(counts.items(), key=lambda item: -item[1])[:4],
        "backup_seconds": backup_seconds,
        "restore_seconds": restore_seconds,
        "restore_cpu_seconds": restore_cpu,
    }


def summary(result: dict) -> str:
    largest = ", ".join(f"{label} {count:,}" for label, count in result["largest"])
    met = "met" if result["restore_seconds"] < TARGET_SECONDS else "missed"
    return "\n".join(
        [
            "## Backup and restore",
            "",
            f"Run {result['run_at']} by `python bench/restore_speed.py` on {result['cpus']} CPUs, Python "
            f"{result['python']}, commit {result['commit']}. Load average (1 min) at the start "
            f"{result['load_average'][0]}, at the end {result['load_average_end'][0]}: the machine is shared, "
            "and a figure measured under load is slower than the command is.",
            "",
            "| Rows | Largest tables | `backup_data` s | `restore_data` s | `restore_data` CPU s | Target |",
            "|---|---|---|---|---|---|",
            f"| {result['rows']:,} ({result['actions']:,} actions) | {largest} | {result['backup_seconds']} | "
            f"{result['restore_seconds']} | {result['restore_cpu_seconds']} | under {TARGET_SECONDS} s: {met} |",
            "",
            "Each time is the wall-clock time of the management command, Django's start-up included (the CPU "
            "seconds are the command's own, PostgreSQL's work not counted); "
            "the restore goes into a second, freshly migrated database and includes checking every "
            "SHA-256 and row count of the manifest.",
        ]
    )


def main(argv=None):
    args = parse_args(argv)
    result = measure(args)
    results = BENCH_DIR / "results"
    results.mkdir(exist_ok=True)
    (results / "restore.json").write_text(json.dumps(result, indent=2))
    text = summary(result)
    print("\n" + text)
    if not args.no_summary:
        write_section(BENCH_DIR / "LATEST.md", "restore-speed", text)
    return 0 if result["restore_seconds"] < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
