"""Write the whole database content and the uploaded evidence to one ZIP."""

from django.core.management.base import BaseCommand, CommandError

from recommendations.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up every row (history and users included) and the uploaded evidence files to a ZIP "
        "with a manifest of row counts and SHA-256 checksums. Restore with restore_data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Where to write the backup, e.g. backup-2026-11-23.zip.")
        parser.add_argument("--database", default="default", help="The database to back up.")

    def handle(self, *args, output, database, **options):
        try:
            summary = create_backup(output, using=database)
        except (BackupError, OSError) as exc:
            raise CommandError(f"The backup failed: {exc}") from exc
        for name in summary.missing_files:
            self.stderr.write(self.style.WARNING(f"Evidence file {name} is recorded in the database but missing."))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {summary.rows} rows of {len(summary.counts)} models and {summary.files} evidence files "
                f"to {summary.path}."
            )
        )
