"""Backup and restore lose nothing: rows, history, users and evidence files come back identical."""

import datetime as dt
import hashlib
import json
import math
import re
import shutil
import zipfile
from collections import Counter
from importlib import import_module
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations import services
from recommendations.backup import (
    MANIFEST_NAME,
    RestoreError,
    backed_up_models,
    create_backup,
    own_data_present,
    restore_backup,
)
from recommendations.backup_rows import BATCH_ROWS
from recommendations.models import ActionStatus, Evidence, Recommendation, Response, Theme
from tests.factories import TEST_PASSWORD, DirectorFactory, PDUFactory, RecommendationFactory, UserFactory
from tests.versions import seen_version

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256))
DOCX_BYTES = b"PK\x03\x04" + "Ünïcödé – evidence".encode() * 50


def _build_plan():
    """A small but complete plan: every kind of row, history, a group, an admin log and two files."""
    pdu = PDUFactory(name="Derby City", slug="derby-city")
    director = DirectorFactory(username="director", unit=pdu.parent)
    leader = UserFactory(username="leader", unit=pdu)
    theme = Theme.objects.create(slug="risk", name="Risk of harm")
    recommendation = RecommendationFactory(inspection__unit=pdu)
    recommendation.themes.add(theme)
    services.set_response(recommendation=recommendation, response=Response.AGREED, rationale="", by=director)
    action = services.create_action(
        recommendation=recommendation,
        description="Train every practitioner in risk assessment.",
        owner=leader,
        unit=pdu,
        due_date=dt.date(2026, 12, 31),
        created_by=director,
    )
    services.log_progress(
        action=action, author=leader, narrative="Sessions booked.", status=ActionStatus.IN_PROGRESS, expected_version=1
    )
    services.revise_due_date(
        action=action, new_due_date=dt.date(2027, 3, 31), reason="Trainer unavailable.", by=director, expected_version=2
    )
    kept = services.add_evidence(
        action=action,
        added_by=leader,
        title="Training register",
        uploaded_file=SimpleUploadedFile("register.pdf", PDF_BYTES, content_type="application/pdf"),
        content_type="application/pdf",
    )
    withdrawn = services.add_evidence(
        action=action,
        added_by=leader,
        title="Draft plan",
        uploaded_file=SimpleUploadedFile("plan.docx", DOCX_BYTES),
    )
    services.withdraw_evidence(
        evidence=withdrawn,
        by=leader,
        reason="Superseded by the final plan.",
        expected_version=seen_version(withdrawn.action),
    )
    group = Group.objects.create(name="Performance team")
    group.permissions.add(Permission.objects.get(codename="view_action"))
    LogEntry.objects.create(
        user=director,
        content_type=ContentType.objects.get_for_model(Recommendation),
        object_id=str(recommendation.pk),
        object_repr=str(recommendation),
        action_flag=CHANGE,
        change_message="Changed text.",
    )
    return kept, withdrawn


def _everything():
    """Every backed-up row, serialised with natural keys so that content-type ids do not matter."""
    return {
        model._meta.label: json.loads(
            serializers.serialize("json", model._base_manager.order_by("pk"), use_natural_foreign_keys=True)
        )
        for model in backed_up_models()
        if not model._meta.auto_created
    }


def _evidence_bytes(media_root: Path):
    folder = media_root / "evidence"
    return {p.relative_to(media_root).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _empty_the_database_with_new_content_type_ids():
    """A new, migrated database: no rows, and content types numbered differently from before."""
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    ContentType.objects.clear_cache()
    ContentType.objects.create(app_label="decoy", model="shiftsids")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_round_trip_loses_nothing(settings, tmp_path, client):
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        kept, withdrawn = _build_plan()
    media_root = Path(settings.MEDIA_ROOT)
    before = _everything()
    files_before = _evidence_bytes(media_root)
    assert len(files_before) == 2
    assert before["recommendations.HistoricalAction"], "the plan should have history to back up"

    summary = create_backup(tmp_path / "backup.zip")
    assert summary.counts["recommendations.Evidence"] == 2
    assert summary.files == 2 and summary.missing_files == []

    _empty_the_database_with_new_content_type_ids()
    shutil.rmtree(media_root / "evidence")
    assert own_data_present() == []

    restored = restore_backup(tmp_path / "backup.zip")

    assert restored.counts == summary.counts
    assert _everything() == before
    files_after = _evidence_bytes(media_root)
    assert files_after == files_before
    for evidence in Evidence.objects.all():
        data = (media_root / evidence.file.name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == evidence.sha256
    # What a person would notice: the withdrawal is still on record, with its reason and who did it,
    # the action's history still says who changed what, and people can still sign in.
    withdrawn = Evidence.objects.get(pk=withdrawn.pk)
    assert withdrawn.is_withdrawn and withdrawn.withdrawal_reason == "Superseded by the final plan."
    assert withdrawn.withdrawn_by.username == "leader"
    action = kept.action
    assert [h.history_user.username for h in action.history.order_by("history_id")] == [
        "director",
        "leader",
        "director",
        "leader",
    ]
    assert LogEntry.objects.get().content_type.model_class() is Recommendation
    assert Group.objects.get().permissions.get().codename == "view_action"
    assert client.login(username="leader", password=TEST_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_restore_into_a_database_with_data_is_refused(tmp_path):
    _build_plan()
    create_backup(tmp_path / "backup.zip")
    rows_before = _everything()

    with pytest.raises(RestoreError, match="The database is not empty, so nothing was restored"):
        restore_backup(tmp_path / "backup.zip")
    assert _everything() == rows_before


def _rewrite(source: Path, target: Path, *, change):
    """Copy a backup, letting `change(name, data)` alter or drop members (return None to drop)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info.filename, data)
    return target


@pytest.mark.django_db(transaction=True)
def test_a_changed_file_is_detected_before_anything_is_restored(tmp_path, settings):
    _build_plan()
    good = create_backup(tmp_path / "backup.zip").path
    damaged = _rewrite(
        good,
        tmp_path / "damaged.zip",
        change=lambda name, data: data[:-1] + b"!" if name.startswith("media/evidence/") else data,
    )
    _empty_the_database_with_new_content_type_ids()
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "evidence")

    with pytest.raises(RestoreError, match="damaged or has been changed.*does not match the manifest"):
        restore_backup(damaged)
    assert own_data_present() == []
    assert not (Path(settings.MEDIA_ROOT) / "evidence").exists()


@pytest.mark.django_db(transaction=True)
def test_counts_that_do_not_match_roll_the_whole_restore_back(tmp_path, settings):
    _build_plan()
    good = create_backup(tmp_path / "backup.zip").path

    def claim_an_extra_action(name, data):
        if name != MANIFEST_NAME:
            return data
        manifest = json.loads(data)
        manifest["counts"]["recommendations.Action"] += 1
        return json.dumps(manifest)

    tampered = _rewrite(good, tmp_path / "tampered.zip", change=claim_an_extra_action)
    _empty_the_database_with_new_content_type_ids()
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "evidence")

    with pytest.raises(RestoreError, match=r"recommendations.Action: 1 rows after restore, 2 in the backup"):
        restore_backup(tampered)
    assert own_data_present() == []
    assert list((Path(settings.MEDIA_ROOT)).rglob("*.pdf")) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "evidence/../../outside.pdf", "other/x.pdf"])
def test_a_backup_naming_files_outside_the_evidence_folder_is_refused(tmp_path, name):
    good = create_backup(tmp_path / "backup.zip").path

    def add_hostile_file(member, data):
        if member != MANIFEST_NAME:
            return data
        manifest = json.loads(data)
        manifest["files"].append({"name": name, "sha256": hashlib.sha256(b"x").hexdigest(), "size": 1})
        return json.dumps(manifest)

    hostile = _rewrite(good, tmp_path / "hostile.zip", change=add_hostile_file)
    with pytest.raises(RestoreError, match="outside the evidence folder"):
        restore_backup(hostile)


@pytest.mark.django_db
def test_extra_or_missing_members_are_reported(tmp_path):
    _build_plan()
    good = create_backup(tmp_path / "backup.zip").path

    def swap_a_file(name, data):
        if name.startswith("media/evidence/") and name.endswith(".docx"):
            return None
        return data

    damaged = _rewrite(good, tmp_path / "damaged.zip", change=swap_a_file)
    with zipfile.ZipFile(damaged, "a") as archive:
        archive.writestr("media/evidence/smuggled.pdf", b"%PDF-1.4")
    with pytest.raises(RestoreError) as error:
        restore_backup(damaged)
    assert "media/evidence/smuggled.pdf is in the ZIP but not in the manifest" in str(error.value)
    assert ".docx is in the manifest but missing from the ZIP" in str(error.value)


@pytest.mark.django_db
def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    not_a_zip = tmp_path / "notes.zip"
    not_a_zip.write_text("hello")
    with pytest.raises(RestoreError, match="is not a ZIP file"):
        restore_backup(not_a_zip)
    no_manifest = tmp_path / "other.zip"
    with zipfile.ZipFile(no_manifest, "w") as archive:
        archive.writestr("data.json", "[]")
    with pytest.raises(RestoreError, match="it has no manifest.json"):
        restore_backup(no_manifest)


@pytest.mark.django_db(transaction=True)
def test_the_commands_round_trip_and_explain_failures(tmp_path, capsys, settings):
    _build_plan()
    target = tmp_path / "nightly.zip"
    call_command("backup_data", "--output", str(target))
    assert "Backed up" in capsys.readouterr().out
    with zipfile.ZipFile(target) as archive:
        manifest = json.loads(archive.read(MANIFEST_NAME))
    assert manifest["counts"]["recommendations.User"] == 2
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"])
    assert "sessions.Session" not in manifest["counts"] and "axes.AccessAttempt" not in manifest["counts"]

    with pytest.raises(CommandError, match="The restore failed: The database is not empty"):
        call_command("restore_data", str(target))

    _empty_the_database_with_new_content_type_ids()
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "evidence")
    call_command("restore_data", str(target))
    assert "every count and checksum matches" in capsys.readouterr().out
    assert Recommendation.objects.get().themes.get().name == "Risk of harm"


@pytest.mark.django_db
def test_backup_warns_about_evidence_files_missing_from_disk(tmp_path, settings, capsys):
    kept, _ = _build_plan()
    (Path(settings.MEDIA_ROOT) / kept.file.name).unlink()
    call_command("backup_data", "--output", str(tmp_path / "b.zip"))
    assert f"Evidence file {kept.file.name} is recorded in the database but missing" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_a_backup_without_the_reminder_schedule_restores_into_a_freshly_migrated_database(tmp_path, settings):
    from django_celery_beat.models import PeriodicTask

    schedule = import_module("reminders.migrations.0002_daily_sweep_schedule")
    _build_plan()
    PeriodicTask.objects.filter(name=schedule.TASK_NAME).delete()
    summary = create_backup(tmp_path / "backup.zip")

    _empty_the_database_with_new_content_type_ids()
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "evidence")
    schedule.create_schedule(apps, None)  # as `migrate` does on a new database
    assert PeriodicTask.objects.filter(name=schedule.TASK_NAME).exists()

    restored = restore_backup(tmp_path / "backup.zip")

    assert restored.counts == summary.counts
    assert not PeriodicTask.objects.filter(name=schedule.TASK_NAME).exists()


@pytest.mark.django_db(transaction=True)
def test_restore_inserts_a_models_rows_in_one_statement_not_one_a_row(tmp_path, settings):
    kept, _ = _build_plan()
    action = kept.action
    for number in range(30):
        action.refresh_from_db()
        services.log_progress(
            action=action,
            author=action.owner,
            narrative=f"Week {number}: more sessions held.",
            status=ActionStatus.IN_PROGRESS,
            expected_version=action.version,
        )
    summary = create_backup(tmp_path / "backup.zip")
    _empty_the_database_with_new_content_type_ids()
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "evidence")

    with CaptureQueriesContext(connection) as ctx:
        restore_backup(tmp_path / "backup.zip")

    inserts = Counter(
        match.group(1) for query in ctx.captured_queries if (match := re.match(r'INSERT INTO "(\w+)"', query["sql"]))
    )
    for label, table in [
        ("recommendations.ProgressUpdate", "recommendations_progressupdate"),
        ("recommendations.HistoricalAction", "recommendations_historicalaction"),
    ]:
        rows = summary.counts[label]
        assert rows > 30
        fields = apps.get_model(label)._meta.concrete_fields
        # One statement a batch (SQLite's parameter limit makes its batches smaller).
        batch = min(BATCH_ROWS, connection.ops.bulk_batch_size(fields, [None] * rows))
        assert inserts[table] == math.ceil(rows / batch), f"{rows} rows of {label} took {inserts[table]} INSERTs"
    if connection.vendor == "postgresql":
        assert set(inserts.values()) == {1}, inserts
    # The people named by username in every row are read once while loading, not once a row.
    statements = [q["sql"] for q in ctx.captured_queries]
    loading = statements[next(i for i, sql in enumerate(statements) if sql.startswith("INSERT")) :]
    reads = [sql for sql in loading if sql.startswith('SELECT "recommendations_user"."id"')]
    assert len(reads) == 1, reads
