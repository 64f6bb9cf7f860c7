"""Backup and restore: the whole database content and the uploaded evidence in one ZIP.

A backup holds three things:

- ``data.json``: Django's dumpdata of every model's rows, history and users included.
  Content types and permissions are left out (a migrated database makes its own) and
  foreign keys to them use natural keys, so the backup loads into a database whose
  content-type ids differ. Sessions and sign-in attempts are left out: they are
  short-lived and restoring them would only sign people back in or lock them out.
- ``media/evidence/...``: every uploaded evidence file, byte for byte.
- ``manifest.json``: the row count of every model, the SHA-256 and size of every file
  and of ``data.json``, and the migrations the data was taken at.

A restore goes only into an empty, migrated database. It checks the manifest before
touching anything, then in one transaction replaces the rows the migrations created
(e.g. the reminder schedule) with the backup's, loads the data in bulk (backup_rows)
and checks every count again; any mismatch rolls the whole restore back and says what
differed.
"""

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from . import stored_files
from .backup_rows import load_rows

FORMAT_NAME = "inspection-action-plan-tracker-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATA_NAME = "data.json"
MEDIA_PREFIX = "media/"
EVIDENCE_FOLDER = "evidence"
# Rebuilt by `migrate`, or short-lived and not worth restoring (see the module docstring).
EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
# Figures versions are raised again by the restore's own writes (recommendations.models.figures).
EXCLUDED_MODELS = {"auth.Permission", "recommendations.FiguresVersion"}
# Apps whose rows make a database "not empty" for a restore: the service's own data
# and its users. Other apps (e.g. the Celery beat schedule) may hold rows that a
# running service creates for itself; the backup's rows replace them by primary key.
OWN_DATA_APPS = {"recommendations", "reminders", "reporting", "signin", "auth"}
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup could not be made or verified; the message says why."""


class RestoreError(BackupError):
    """The restore was refused or failed; nothing was changed."""


@dataclass
class BackupSummary:
    path: Path
    counts: dict[str, int]
    files: int
    missing_files: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def backed_up_models():
    """Every concrete model whose rows go into a backup, in a stable order."""
    models = []
    for app_config in apps.get_app_configs():
        if app_config.label in EXCLUDED_APPS:
            continue
        for model in app_config.get_models(include_auto_created=True):
            opts = model._meta
            if opts.label in EXCLUDED_MODELS or opts.proxy or not opts.managed:
                continue
            if opts.auto_created and opts.auto_created._meta.label in EXCLUDED_MODELS:
                continue
            if opts.auto_created and any(
                f.related_model._meta.app_label in EXCLUDED_APPS or f.related_model._meta.label in EXCLUDED_MODELS
                for f in opts.fields
                if f.is_relation
            ):
                continue
            models.append(model)
    return sorted(models, key=lambda m: m._meta.label)


def _dumped_models():
    # Auto-created many-to-many tables are written inside their parent's rows.
    return [m for m in backed_up_models() if not m._meta.auto_created]


def _count_rows(using: str) -> dict[str, int]:
    return {model._meta.label: model._base_manager.using(using).count() for model in backed_up_models()}


def _applied_migrations(using: str) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connections[using])
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def _sha256_of_file(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def _sha256_of_member(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    with archive.open(name) as handle:
        while chunk := handle.read(_CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def _copy_stored_file_into(archive: zipfile.ZipFile, name: str) -> dict:
    """Copy an evidence file from storage into the ZIP in chunks, hashing it on the way."""
    sha = hashlib.sha256()
    size = 0
    with stored_files.open_stored_file(name) as source, archive.open(MEDIA_PREFIX + name, "w") as target:
        while chunk := source.read(_CHUNK):
            sha.update(chunk)
            size += len(chunk)
            target.write(chunk)
    return {"name": name, "sha256": sha.hexdigest(), "size": size}


def _referenced_evidence_names(using: str) -> list[str]:
    from .models import Evidence

    return list(Evidence.objects.using(using).exclude(file="").values_list("file", flat=True))


@contextmanager
def _snapshot(using: str):
    """A transaction in which every read sees the same moment of the database.

    PostgreSQL needs REPEATABLE READ for that; SQLite's transactions already are.
    Inside an existing transaction (e.g. a test), that transaction is the snapshot.
    """
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def create_backup(output: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write the database content and the evidence files to `output` (a ZIP)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tracker-backup-") as workdir:
        data_path = Path(workdir) / DATA_NAME
        with _snapshot(using):
            call_command(
                "dumpdata",
                *[model._meta.label for model in _dumped_models()],
                format="json",
                use_natural_foreign_keys=True,
                # Every row, even ones a model's default manager might hide.
                use_base_manager=True,
                database=using,
                output=str(data_path),
                verbosity=0,
            )
            counts = _count_rows(using)
            referenced = _referenced_evidence_names(using)
            migrations = _applied_migrations(using)

        # From the evidence storage (local folder or bucket), whichever is in use.
        files = list(stored_files.iter_stored_names(EVIDENCE_FOLDER))
        names = set(files)
        missing = sorted(name for name in referenced if name not in names)
        manifest = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "migrations": migrations,
            "data": {"name": DATA_NAME, "sha256": _sha256_of_file(data_path), "size": data_path.stat().st_size},
            "counts": counts,
            "files": [],
            "missing_files": missing,
        }
        partial = output.with_name(output.name + ".partial")
        try:
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                archive.write(data_path, DATA_NAME)
                for name in files:
                    manifest["files"].append(_copy_stored_file_into(archive, name))
                archive.writestr(MANIFEST_NAME, json.dumps(manifest, indent=2, sort_keys=True))
            # Only a complete archive takes the requested name.
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    return BackupSummary(path=output, counts=counts, files=len(files), missing_files=missing)


def _safe_relative_name(name: str) -> str:
    """A file name from the manifest, refused if it could land outside the evidence folder."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts or path.parts[0] != EVIDENCE_FOLDER:
        raise RestoreError(f"The backup names a file outside the evidence folder: {name!r}.")
    return path.as_posix()


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST_NAME))
    except KeyError as exc:
        raise RestoreError("This file is not a tracker backup: it has no manifest.json.") from exc
    except ValueError as exc:
        raise RestoreError("The backup's manifest.json is not valid JSON.") from exc
    if manifest.get("format") != FORMAT_NAME:
        raise RestoreError("This file is not a tracker backup: its manifest has the wrong format name.")
    if manifest.get("version") != FORMAT_VERSION:
        raise RestoreError(
            f"This backup is format version {manifest.get('version')}; this service reads version {FORMAT_VERSION}."
        )
    return manifest


def verify_archive(archive: zipfile.ZipFile, manifest: dict) -> None:
    """Check every byte the manifest vouches for, and that nothing else is in the ZIP."""
    problems = []
    expected = {MANIFEST_NAME, DATA_NAME} | {MEDIA_PREFIX + _safe_relative_name(f["name"]) for f in manifest["files"]}
    present = {info.filename for info in archive.infolist() if not info.is_dir()}
    for name in sorted(present - expected):
        problems.append(f"{name} is in the ZIP but not in the manifest")
    for name in sorted(expected - present):
        problems.append(f"{name} is in the manifest but missing from the ZIP")
    checks = [(DATA_NAME, manifest["data"])] + [(MEDIA_PREFIX + f["name"], f) for f in manifest["files"]]
    for name, entry in checks:
        if name not in present:
            continue
        sha, size = _sha256_of_member(archive, name)
        if sha != entry["sha256"] or size != entry["size"]:
            problems.append(
                f"{name} does not match the manifest (SHA-256 {sha}, {size} bytes; "
                f"expected {entry['sha256']}, {entry['size']} bytes)"
            )
    if problems:
        raise RestoreError("The backup is damaged or has been changed: " + "; ".join(problems) + ".")


def own_data_present(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The service's own models that already hold rows: empty for an empty database."""
    return [
        f"{model._meta.label} ({count} rows)"
        for model in backed_up_models()
        if model._meta.app_label in OWN_DATA_APPS and (count := model._base_manager.using(using).count())
    ]


def _check_migrations(manifest: dict, using: str) -> None:
    here = _applied_migrations(using)
    differences = [
        f"{app}: backup at {(names or ['none'])[-1]}, database at {(here.get(app) or ['none'])[-1]}"
        for app, names in sorted(manifest["migrations"].items())
        if app in here and here[app] != names
    ]
    if differences:
        raise RestoreError(
            "The database is not at the same migrations as the backup ("
            + "; ".join(differences)
            + "). Restore with the version of the service that made the backup."
        )


def _restore_files(archive: zipfile.ZipFile, manifest: dict, written: list[str]) -> None:
    """Put every file of the backup into the evidence storage (local folder or bucket) under its own name."""
    for entry in manifest["files"]:
        name = _safe_relative_name(entry["name"])
        try:
            with archive.open(MEDIA_PREFIX + name) as source:
                stored_files.save_stored_file_as(name, source)
        except FileExistsError:
            if stored_files.sha256_of_stored_file(name) == entry["sha256"]:
                continue
            raise RestoreError(
                f"{name} already exists in the evidence storage with different content: move it away and restore again."
            ) from None
        written.append(name)
        if stored_files.sha256_of_stored_file(name) != entry["sha256"]:
            raise RestoreError(f"{name} was not written correctly: its SHA-256 differs after copying.")


def _clear_rows_made_by_migrations(using: str) -> None:
    """Empty every backed-up table, so the backup's rows replace what `migrate` created.

    A new database is not quite empty: migrations create rows of their own (e.g. the
    daily reminder schedule). The backup holds the state to restore, the schedule's
    absence included, so those rows go before it is loaded. The service's own tables
    are already known to be empty (own_data_present).
    """
    models = [model for model in reversed(backed_up_models()) if not model._meta.auto_created]
    # Twice: deleting a row can make another through a signal (a deleted periodic task
    # records the change for a running beat), which the second pass takes away.
    for model in models + models:
        model._base_manager.using(using).all().delete()


@dataclass
class RestoreSummary:
    counts: dict[str, int]
    files: int

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def restore_backup(source: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> RestoreSummary:
    """Load a backup into an empty, migrated database, verifying it before and after."""
    source = Path(source)
    if not zipfile.is_zipfile(source):
        raise RestoreError(f"{source} is not a ZIP file.")
    with zipfile.ZipFile(source) as archive:
        manifest = read_manifest(archive)
        verify_archive(archive, manifest)
        occupied = own_data_present(using)
        if occupied:
            raise RestoreError(
                "The database is not empty, so nothing was restored. Restore only into a new, migrated "
                "database (e.g. `manage.py migrate` on a new one). It already holds: " + ", ".join(occupied) + "."
            )
        _check_migrations(manifest, using)
        written: list[str] = []
        with tempfile.TemporaryDirectory(prefix="tracker-restore-") as workdir:
            data_path = Path(workdir) / DATA_NAME
            with archive.open(DATA_NAME) as member, data_path.open("wb") as handle:
                shutil.copyfileobj(member, handle, _CHUNK)
            try:
                with transaction.atomic(using=using):
                    _clear_rows_made_by_migrations(using)
                    try:
                        load_rows(data_path, using=using)
                    except Exception as exc:
                        raise RestoreError(f"The data could not be loaded: {exc}") from exc
                    counts = _count_rows(using)
                    mismatches = [
                        f"{label}: {counts.get(label, 'no such model')} rows after restore, {expected} in the backup"
                        for label, expected in sorted(manifest["counts"].items())
                        if counts.get(label) != expected
                    ]
                    if mismatches:
                        raise RestoreError(
                            "The restored data does not match the manifest, so nothing was restored: "
                            + "; ".join(mismatches)
                            + "."
                        )
                    _restore_files(archive, manifest, written)
            except BaseException:
                for name in written:
                    stored_files.delete_stored_file(name)
                raise
    return RestoreSummary(counts=counts, files=len(manifest["files"]))
