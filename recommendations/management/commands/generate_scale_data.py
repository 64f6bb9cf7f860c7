"""Fill an empty database with national-scale synthetic data, for benchmarks and load tests."""

import time
from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from recommendations.scale_data import ScaleSpec, database_has_data, generate


class Command(BaseCommand):
    help = (
        "Generate synthetic units, people, inspections and action plans at national scale. "
        "The same --seed and --today give the same rows. Refuses a database that already has "
        "data unless --flush (empty it first) or --force (add to it) is given."
    )

    def add_arguments(self, parser):
        defaults = ScaleSpec()
        parser.add_argument("--regions", type=int, default=defaults.regions)
        parser.add_argument("--pdus-per-region", type=int, default=defaults.pdus_per_region)
        parser.add_argument("--actions", type=int, default=defaults.actions)
        parser.add_argument("--updates-per-action", type=int, default=defaults.updates_per_action)
        parser.add_argument("--staff-per-pdu", type=int, default=defaults.staff_per_pdu)
        parser.add_argument("--inspections-per-pdu", type=int, default=defaults.inspections_per_pdu)
        parser.add_argument(
            "--recommendations-per-inspection", type=int, default=defaults.recommendations_per_inspection
        )
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="Base date, YYYY-MM-DD (default: today)."
        )
        parser.add_argument(
            "--password", default=defaults.password, help="The one password every generated user signs in with."
        )
        parser.add_argument("--flush", action="store_true", help="Delete every row in the database first.")
        parser.add_argument("--force", action="store_true", help="Add to a database that already has data.")

    def handle(self, *args, **options):
        for name in ("regions", "pdus_per_region", "actions", "updates_per_action", "staff_per_pdu"):
            if options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} cannot be negative.")
        if options["flush"]:
            call_command("flush", interactive=False, verbosity=0)
        elif database_has_data() and not options["force"]:
            raise CommandError("The database already has data. Use --flush to empty it first, or --force to add to it.")
        spec = ScaleSpec(
            regions=options["regions"],
            pdus_per_region=options["pdus_per_region"],
            actions=options["actions"],
            updates_per_action=options["updates_per_action"],
            staff_per_pdu=options["staff_per_pdu"],
            inspections_per_pdu=options["inspections_per_pdu"],
            recommendations_per_inspection=options["recommendations_per_inspection"],
            seed=options["seed"],
            today=options["today"] or timezone.localdate(),
            password=options["password"],
        )
        started = time.perf_counter()
        log = self.stdout.write if options["verbosity"] >= 2 else None
        counts = generate(spec, log=log)
        elapsed = time.perf_counter() - started
        if options["verbosity"] == 0:
            return
        for name, count in counts.items():
            self.stdout.write(f"{count:>10,}  {name}")
        self.stdout.write(self.style.SUCCESS(f"Generated in {elapsed:.1f} s (seed {spec.seed}, today {spec.today})."))
