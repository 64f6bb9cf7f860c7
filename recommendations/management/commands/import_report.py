"""Import a published HM Inspectorate of Probation report (PDF, HTML or text)."""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.date_formats import read_typed_date
from recommendations.report_import.loading import (
    PUBLICATION_DATE_NEEDED,
    ReportImportError,
    load_report,
    plan_report_import,
)
from recommendations.report_import.preview import preview_text


def _date(text: str):
    if day := read_typed_date(text):
        return day
    raise argparse.ArgumentTypeError(f"“{text}” is not a date: write it like 9/2/2023, 9 February 2023 or 2023-02-09.")


class Command(BaseCommand):
    help = (
        "Read a published inspection report (PDF, HTML or text), show what it says beside the "
        "lines it came from, and create its inspections, ratings and recommendations."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The report: a .pdf, .html or .txt file.")
        parser.add_argument("--dry-run", action="store_true", help="Show the preview only; write nothing.")
        parser.add_argument("--yes", action="store_true", help="Create the new units the report names without asking.")
        parser.add_argument(
            "--published",
            type=_date,
            metavar="DATE",
            help="The date the report was published (9/2/2023, 9 February 2023 or 2023-02-09), where it gives "
            "only the month: asked for otherwise.",
        )

    def handle(self, *args, file, dry_run=False, yes=False, published=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        plan = plan_report_import(path.read_bytes(), path.name, published_on=published)
        self.stdout.write(preview_text(plan))
        if plan.problems:
            raise CommandError("The report cannot be imported: " + " ".join(plan.problems))
        if plan.already_imported:
            return
        if dry_run:
            self.stdout.write("Dry run: nothing written.")
            return
        if plan.needs_publication_date:
            if yes:
                raise CommandError(f"{PUBLICATION_DATE_NEEDED} Give it with --published DATE.")
            published = self._ask_publication_date()
            plan = plan_report_import(path.read_bytes(), path.name, published_on=published)
            if plan.already_imported:
                self.stdout.write("This report is already imported: nothing to do.")
                return
        accept = yes
        if plan.proposals and not yes:
            answer = input("Create the new units listed above? [y/N] ")
            accept = answer.strip().lower() in ("y", "yes")
            if not accept:
                raise CommandError("Nothing imported: the new units were not accepted.")
        try:
            created = load_report(plan=plan, accept_new_units=accept)
        except ReportImportError as exc:
            raise CommandError(str(exc)) from exc
        recommendations = sum(inspection.recommendations.count() for inspection in created)
        self.stdout.write(
            self.style.SUCCESS(f"Imported {len(created)} inspection(s) with {recommendations} recommendation(s).")
        )

    def _ask_publication_date(self):
        """The day the report was published, asked until it is a date (an empty answer gives up)."""
        while True:
            answer = input("The report does not say on which day it was published. Date of publication: ").strip()
            if not answer:
                raise CommandError(f"Nothing imported. {PUBLICATION_DATE_NEEDED}")
            if day := read_typed_date(answer):
                return day
            self.stdout.write(f"“{answer}” is not a date: write it like 9/2/2023, 9 February 2023 or 2023-02-09.")
