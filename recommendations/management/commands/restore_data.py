"""Restore a backup made by backup_data into an empty, migrated database."""

from django.core.management.base import BaseCommand, CommandError

from recommendations.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup_data ZIP into an empty, migrated database. The manifest (row counts, "
        "SHA-256 of every file) is checked before and after; on any mismatch nothing is restored."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The ZIP written by backup_data.")
        parser.add_argument("--database", default="default", help="The database to restore into.")

    def handle(self, *args, backup, database, **options):
        try:
            summary = restore_backup(backup, using=database)
        except (BackupError, OSError) as exc:
            raise CommandError(f"The restore failed: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.rows} rows of {len(summary.counts)} models and {summary.files} evidence files; "
                "every count and checksum matches the backup's manifest."
            )
        )
