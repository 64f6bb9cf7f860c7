"""Write the action plan of a unit, an inspection or every unit to a CSV, XLSX, PDF or Word (DOCX) file."""

import time

from django.core.management.base import BaseCommand, CommandError

from recommendations.exports.csv_plan import write_plan_csv

from ...exports.docx_plan import write_plan_docx
from ...exports.pdf_plan import write_plan_pdf
from ...exports.xlsx_plan import write_plan_xlsx
from ...selectors.plan_document import plan_document
from ...selectors.units import find_inspection, find_unit


class Command(BaseCommand):
    help = (
        "Export the action plan as CSV or XLSX (one row per action), or as PDF or DOCX in the layout "
        "of the action plan HMPPS submits to the Inspectorate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx", "pdf", "docx"], default="csv")
        parser.add_argument("--output", required=True, help="File to write; '-' writes CSV to standard output.")
        parser.add_argument("--unit", help="Unit name, short name or slug, e.g. 'Derby City' or 'east-midlands'.")
        parser.add_argument("--inspection", help="Inspection id.")

    def handle(self, *args, **options):
        try:
            unit = find_unit(options["unit"]) if options["unit"] else None
            inspection = find_inspection(options["inspection"]) if options["inspection"] else None
        except LookupError as error:
            raise CommandError(str(error)) from error
        fmt, output = options["format"], options["output"]
        if output == "-" and fmt != "csv":
            raise CommandError("Only CSV can be written to standard output; give a file name with --output.")

        started = time.monotonic()
        document = plan_document(unit=unit, inspection=inspection)

        if fmt == "csv":
            if output == "-":
                write_plan_csv(document.plan_rows, self.stdout)
                return
            with open(output, "w", newline="", encoding="utf-8-sig") as stream:
                write_plan_csv(document.plan_rows, stream)
        elif fmt == "xlsx":
            with open(output, "wb") as stream:
                write_plan_xlsx(document, stream)
        elif fmt == "docx":
            with open(output, "wb") as stream:
                write_plan_docx(document, stream)
        else:
            with open(output, "wb") as stream:
                stream.write(write_plan_pdf(document))
        self.stderr.write(
            f"Wrote {len(document.sections)} recommendations and {document.action_count} actions "
            f"to {output} ({fmt.upper()}) in {time.monotonic() - started:.2f} s."
        )
