"""Load the published inspections and the demo data into an empty database."""

import datetime as dt

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from recommendations.models import Inspection, InspectionKind, Recommendation

# Expected next inspections are not published; the demo gives the current PDU
# inspections plausible ones so that the countdowns and reminders have something to show.
DEMO_NEXT_INSPECTIONS = {
    "derby-city": dt.date(2027, 3, 1),
    "leicester-leicestershire-rutland": dt.date(2027, 2, 1),
    "derbyshire": dt.date(2028, 4, 3),
}


class Command(BaseCommand):
    help = "Load fixtures/inspections.json (published data) and fixtures/demo.json (demo users and actions)."

    def add_arguments(self, parser):
        parser.add_argument("--published-only", action="store_true", help="Load the published data only.")

    @transaction.atomic
    def handle(self, *args, published_only=False, **options):
        if Recommendation.objects.exists():
            self.stdout.write("The database already has inspection data: nothing loaded.")
            return
        call_command("loaddata", "inspections", verbosity=0)
        self._record_initial_history()
        self.stdout.write(self.style.SUCCESS(f"Loaded {Recommendation.objects.count()} published recommendations."))
        if published_only:
            return
        call_command("loaddata", "demo", verbosity=0)
        for slug, expected in DEMO_NEXT_INSPECTIONS.items():
            latest = (
                Inspection.objects.filter(unit__slug=slug, kind=InspectionKind.PDU).order_by("-published_on").first()
            )
            if latest and latest.next_inspection_expected is None:
                latest.next_inspection_expected = expected
                latest.save(update_fields=["next_inspection_expected"])
        self._record_initial_history()
        self.stdout.write(self.style.SUCCESS("Loaded the demo users and actions (password: demo-tracker-2026)."))

    def _record_initial_history(self):
        # Fixtures load without history; give every loaded record its first history
        # entry, so that later changes show as changes from the loaded state.
        # populate_history skips models that already have history rows.
        call_command("populate_history", "--auto", verbosity=0)
