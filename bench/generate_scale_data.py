"""Fill a database with national-scale synthetic data, for benchmarks and load tests.

    python bench/generate_scale_data.py --actions 50000 [--flush | --force] [--seed 1] [--today 2026-11-30]

Uses the project's settings and DATABASE_URL. The same --seed and --today give the same
rows. Refuses a database that already has data unless --flush (empty it first) or --force
(add to it: units, people and themes that already exist, such as the demo's, are used as
they are) is given.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


class GenerationRefused(Exception):
    """The database already has data and neither --flush nor --force was given."""


def parse_args(argv=None):
    from bench.scale_data import ScaleSpec

    defaults = ScaleSpec()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in (
        "regions",
        "pdus_per_region",
        "actions",
        "updates_per_action",
        "staff_per_pdu",
        "inspections_per_pdu",
        "recommendations_per_inspection",
        "seed",
    ):
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=getattr(defaults, name))
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None, help="Base date, YYYY-MM-DD (default: today)."
    )
    parser.add_argument(
        "--password", default=defaults.password, help="The one password every generated user signs in with."
    )
    parser.add_argument("--flush", action="store_true", help="Delete every row in the database first.")
    parser.add_argument("--force", action="store_true", help="Add to a database that already has data.")
    parser.add_argument("--quiet", action="store_true", help="Print nothing.")
    args = parser.parse_args(argv)
    for name in ("regions", "pdus_per_region", "actions", "updates_per_action", "staff_per_pdu"):
        if getattr(args, name) < 0:
            parser.error(f"--{name.replace('_', '-')} cannot be negative.")
    return args


def generate_from_args(args, *, out=print) -> dict[str, int]:
    """Generate as the command-line `args` say, in a configured Django; the counts made."""
    from django.core.management import call_command
    from django.utils import timezone

    from bench.scale_data import ScaleSpec, database_has_data, generate

    if args.flush:
        call_command("flush", interactive=False, verbosity=0)
    elif database_has_data() and not args.force:
        raise GenerationRefused(
            "The database already has data. Use --flush to empty it first, or --force to add to it."
        )
    spec = ScaleSpec(
        regions=args.regions,
        pdus_per_region=args.pdus_per_region,
        actions=args.actions,
        updates_per_action=args.updates_per_action,
        staff_per_pdu=args.staff_per_pdu,
        inspections_per_pdu=args.inspections_per_pdu,
        recommendations_per_inspection=args.recommendations_per_inspection,
        seed=args.seed,
        today=args.today or timezone.localdate(),
        password=args.password,
    )
    started = time.perf_counter()
    counts = generate(spec)
    if not args.quiet:
        for name, count in counts.items():
            out(f"{count:>10,}  {name}")
        out(f"Generated in {time.perf_counter() - started:.1f} s (seed {spec.seed}, today {spec.today}).")
    return counts


def main(argv=None):
    sys.path.insert(0, str(PROJECT_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    args = parse_args(argv)
    try:
        generate_from_args(args)
    except GenerationRefused as refusal:
        sys.exit(str(refusal))


if __name__ == "__main__":
    main()
