"""Run the daily reminder sweep now, in this process, and say what it did."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateformat import format as format_date

from reminders import services
from reminders.models import ReminderKind


class Command(BaseCommand):
    help = (
        "Send the reminders due on a day (today, UK time, by default). Safe to run more than once: "
        "reminders already sent are not sent again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to send reminders for, as YYYY-MM-DD.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be sent; write and send nothing.")

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date must be a date written as YYYY-MM-DD, for example 2026-03-29: {exc}") from exc

        summary = services.run_sweep(day=day, dry_run=dry_run)

        note = " (dry run: nothing written or sent)" if dry_run else ""
        self.stdout.write(f"Reminders for {format_date(day, 'l j F Y')}{note}")
        for kind in ReminderKind:
            self.stdout.write(f"  {kind.label}: {summary.due.get(kind.value, 0)} due")
        verb = "would be" if dry_run else "were"
        self.stdout.write(f"New reminders: {summary.new} ({verb} recorded; others were sent before)")
        self.stdout.write(f"Recipients: {summary.recipients}")
        if dry_run:
            self.stdout.write(f"Emails that would be sent: {summary.recipients}")
        else:
            self.stdout.write(f"Emails sent: {summary.emails_sent}")
            if summary.emails_failed:
                self.stdout.write(
                    self.style.WARNING(f"Emails failed: {summary.emails_failed} (recorded; the next run tries again)")
                )
