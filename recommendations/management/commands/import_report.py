"""Import a published HM Inspectorate of Probation report (PDF, HTML or text)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.report_import.loading import ReportImportError, load_report, plan_report_import
from recommendations.report_import.preview import preview_text


class Command(BaseCommand):
    help = (
        "Read a published inspection report (PDF, HTML or text), show what it says beside the "
        "lines it came from, and create its inspections, ratings and recommendations."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The report: a .pdf, .html or .txt file.")
        parser.add_argument("--dry-run", action="store_true", help="Show the preview only; write nothing.")
        parser.add_argument("--yes", action="store_true", help="Create the new units the report names without asking.")

    def handle(self, *args, file, dry_run=False, yes=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        plan = plan_report_import(path.read_bytes(), path.name)
        self.stdout.write(preview_text(plan))
        if plan.problems:
            raise CommandError("The report cannot be imported: " + " ".join(plan.problems))
        if plan.already_imported:
            return
        if dry_run:
            self.stdout.write("Dry run: nothing written.")
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
