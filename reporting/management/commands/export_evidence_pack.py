"""Write a unit's evidence pack for the next inspection to a ZIP file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from recommendations.models import Action, Recommendation

from ...exports.evidence_zip import write_evidence_zip
from ...selectors.evidence_pack import build_evidence_pack
from ...selectors.units import find_unit


class Command(BaseCommand):
    help = "Export a unit's evidence pack (index and evidence files by recommendation) as a ZIP file."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="Unit name, short name or slug, e.g. 'derby-city'.")
        parser.add_argument("--output", help="ZIP file to write (default: evidence-pack-<unit>-<date>.zip).")

    def handle(self, *args, **options):
        try:
            unit = find_unit(options["unit"])
        except LookupError as error:
            raise CommandError(str(error)) from error
        pack = build_evidence_pack(
            unit=unit,
            recommendations=Recommendation.objects.all(),
            actions=Action.objects.all(),
            today=timezone.localdate(),
        )
        output = options["output"] or pack.filename
        with open(output, "wb") as stream:
            missing = write_evidence_zip(pack, stream)
        if missing:
            shown = "\n  ".join(missing[:5])
            more = f"\n  … and {len(missing) - 5} more" if len(missing) > 5 else ""
            self.stderr.write(
                f"{len(missing)} files are missing from storage: listed in the index as missing, not included:"
                f"\n  {shown}{more}"
            )
        self.stderr.write(f"Wrote {len(pack.files) - len(missing)} evidence files and the index to {output}.")
