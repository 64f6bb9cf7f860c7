"""Evidence kept in an S3 bucket (moto's S3-compatible server on a loopback port) works as on local disk.

Uploads land in a private bucket encrypted at rest; downloads are scoped and either
streamed or handed out as a short-lived presigned URL after the scope check; the
evidence pack and backup/restore read and write the bucket; SHA-256s still match.
"""

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations import services, stored_files
from recommendations.backup import create_backup, own_data_present, restore_backup
from recommendations.models import Evidence
from tests.web_world import PDF_BYTES, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(s3_bucket):
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        yield build_world()


def _s3(moto_s3):
    return moto_s3.client()


def test_an_upload_is_stored_in_the_bucket_privately_and_encrypted(client, world, s3_bucket, moto_s3):
    from tests import evidence_samples as samples
    from tests.test_views_evidence import _add

    client.force_login(world.leader)
    response = _add(client, world, title="Audit", file=SimpleUploadedFile("audit.pdf", samples.PDF))
    assert response.status_code == 302
    evidence = Evidence.objects.filter(title="Audit").get()
    s3 = _s3(moto_s3)
    bucket = s3_bucket["AWS_STORAGE_BUCKET_NAME"]
    stored = s3.get_object(Bucket=bucket, Key=evidence.file.name)
    assert stored["Body"].read() == samples.PDF
    assert stored["ServerSideEncryption"] == "AES256"
    assert hashlib.sha256(samples.PDF).hexdigest() == evidence.sha256
    grants = s3.get_object_acl(Bucket=bucket, Key=evidence.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"], "only the owner: no public grant"
    assert "URI" not in grants[0]["Grantee"]
    # Nothing on the local disk, where another replica could not read it.
    assert not (Path(settings.MEDIA_ROOT) / "evidence").exists()


def test_a_permitted_download_is_streamed_from_the_bucket_and_others_get_404(client, world):
    url = reverse("recommendations:evidence_download", args=[world.evidence.pk])
    client.force_login(world.leader)
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Length"] == str(len(PDF_BYTES))

    client.force_login(world.far_leader)
    assert client.get(url).status_code == 404


def test_in_redirect_mode_a_presigned_url_is_given_only_after_the_scope_check(client, world, settings):
    settings.EVIDENCE_DOWNLOAD = "redirect"
    url = reverse("recommendations:evidence_download", args=[world.evidence.pk])

    client.force_login(world.far_leader)
    refused = client.get(url)
    assert refused.status_code == 404
    assert "Location" not in refused

    client.force_login(world.leader)
    response = client.get(url)
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["60"], "the URL lapses after a minute"
    assert "X-Amz-Signature" in query
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == PDF_BYTES
    assert fetched.headers["Content-Disposition"].startswith("attachment;")


def test_a_file_missing_from_the_bucket_is_a_404_not_an_error(client, world, s3_bucket, moto_s3):
    _s3(moto_s3).delete_object(Bucket=s3_bucket["AWS_STORAGE_BUCKET_NAME"], Key=world.evidence.file.name)
    client.force_login(world.leader)
    response = client.get(reverse("recommendations:evidence_download", args=[world.evidence.pk]))
    assert response.status_code == 404


def test_the_evidence_pack_reads_its_files_from_the_bucket(world):
    from recommendations.models import Action, Recommendation
    from reporting.exports.evidence_zip import write_evidence_zip
    from reporting.selectors.evidence_pack import build_evidence_pack

    everything = {"recommendations": Recommendation.objects.all(), "actions": Action.objects.all()}
    pack = build_evidence_pack(unit=world.pdu, today=dt.date(2026, 6, 15), **everything)
    buffer = io.BytesIO()
    missing = write_evidence_zip(pack, buffer)
    assert missing == []
    with zipfile.ZipFile(buffer) as archive:
        contents = [archive.read(name) for name in archive.namelist() if name != "index.html"]
    assert PDF_BYTES in contents


def test_listing_reading_and_hashing_stored_files_use_the_bucket(world):
    names = list(stored_files.iter_stored_names("evidence"))
    assert sorted([world.evidence.file.name, world.national_evidence.file.name]) == names
    assert stored_files.sha256_of_stored_file(world.evidence.file.name) == hashlib.sha256(PDF_BYTES).hexdigest()
    with pytest.raises(FileNotFoundError):
        stored_files.open_stored_file("evidence/not-there.pdf")


def _bucket_contents():
    return {name: stored_files.open_stored_file(name).read() for name in stored_files.iter_stored_names("evidence")}


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_through_the_bucket(s3_bucket, moto_s3, tmp_path, settings):
    from tests.test_backup import _build_plan, _empty_the_database_with_new_content_type_ids, _everything

    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        kept, withdrawn = _build_plan()
    before = _everything()
    files_before = _bucket_contents()
    assert len(files_before) == 2

    summary = create_backup(tmp_path / "backup.zip")
    assert summary.files == 2 and summary.missing_files == []

    # Restore into a new database and a new, empty bucket, as a move between environments would.
    _empty_the_database_with_new_content_type_ids()
    from tracker.storage_settings import evidence_storage

    new_env = moto_s3.env(moto_s3.create_bucket(s3_bucket["AWS_STORAGE_BUCKET_NAME"] + "-new"))
    settings.AWS_STORAGE_BUCKET_NAME = new_env["AWS_STORAGE_BUCKET_NAME"]
    settings.STORAGES = {**settings.STORAGES, "default": evidence_storage(new_env)}
    assert list(stored_files.iter_stored_names("evidence")) == []
    assert own_data_present() == []

    restore_backup(tmp_path / "backup.zip")

    assert _everything() == before
    files_after = _bucket_contents()
    assert files_after == files_before
    for evidence in Evidence.objects.all():
        assert stored_files.sha256_of_stored_file(evidence.file.name) == evidence.sha256
    head = moto_s3.client().head_object(Bucket=new_env["AWS_STORAGE_BUCKET_NAME"], Key=kept.file.name)
    assert head["ServerSideEncryption"] == "AES256"


def test_add_evidence_through_the_service_names_the_object_uniquely(world):
    first = services.add_evidence(
        action=world.action,
        added_by=world.leader,
        title="One",
        uploaded_file=SimpleUploadedFile("same.pdf", PDF_BYTES),
        content_type="application/pdf",
    )
    second = services.add_evidence(
        action=world.action,
        added_by=world.leader,
        title="Two",
        uploaded_file=SimpleUploadedFile("same.pdf", PDF_BYTES + b"\n"),
        content_type="application/pdf",
    )
    assert first.file.name != second.file.name
    assert stored_files.open_stored_file(first.file.name).read() == PDF_BYTES
    assert stored_files.open_stored_file(second.file.name).read() == PDF_BYTES + b"\n"


def test_without_a_bucket_evidence_stays_on_the_local_disk_and_with_one_it_is_private_and_encrypted():
    from tracker.storage_settings import evidence_storage

    assert evidence_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = evidence_storage({"AWS_STORAGE_BUCKET_NAME": "evidence"})["OPTIONS"]
    assert options["default_acl"] == "private"
    assert options["object_parameters"] == {"ServerSideEncryption": "AES256"}
    assert options["querystring_auth"] is True and options["querystring_expire"] == 60
    assert options["file_overwrite"] is False
    kms = evidence_storage({"AWS_STORAGE_BUCKET_NAME": "evidence", "AWS_S3_SSE_KMS_KEY_ID": "alias/tracker"})
    assert kms["OPTIONS"]["object_parameters"] == {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/tracker"}
