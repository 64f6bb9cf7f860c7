"""Evidence files: hostile contents refused, hostile names harmless, files only through the scoped view.

The upload rule itself lives in recommendations.evidence_files (tested in
test_evidence_files.py and test_views_evidence.py); these tests attack it through the
upload form and the download view.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.models import Evidence
from tests import evidence_samples as samples
from tests.web_world import build_world

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 200
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
STORED_NAME = re.compile(r"evidence/[0-9a-f]{32}\.[a-z]{2,4}")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def leader(client, world):
    client.force_login(world.leader)
    return client


def _upload(client, world, name, content, **extra):
    data = {
        "version": str(world.action.version),
        "title": "Audit",
        "url": "",
        "file": SimpleUploadedFile(name, content),
    }
    return client.post(reverse("recommendations:evidence_add", args=[world.action.pk]), data | extra)


def _all_files(root: Path):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", ELF, "not a real PDF"),
        ("report.pdf", samples.EXE, "not a real PDF"),
        ("notes.txt", ELF, "not a real plain text file"),
        ("chart.png", samples.HTML, "not a real PNG image"),
        ("chart.png", SVG_WITH_SCRIPT, "not a real PNG image"),
        ("page.html", samples.HTML, "must be a PDF, Word, Excel"),
        ("drawing.svg", SVG_WITH_SCRIPT, "must be a PDF, Word, Excel"),
        ("report.pdf.exe", samples.EXE, "must be a PDF, Word, Excel"),
        ("macro.docm", b"PK\x03\x04" + b"\x00" * 100, "must be a PDF, Word, Excel"),
        ("fake.docx", b"PK\x03\x04" + b"\x00" * 100, "not a real Word document"),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
)
def test_hostile_contents_are_refused_and_nothing_is_stored(leader, world, settings, name, content, message):
    media = Path(settings.MEDIA_ROOT)
    files_before, rows_before = _all_files(media), Evidence.objects.count()
    response = _upload(leader, world, name, content)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and message in html
    assert Evidence.objects.count() == rows_before
    assert _all_files(media) == files_before


def test_an_oversized_file_is_refused_before_anything_is_stored(leader, world, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 100
    media = Path(settings.MEDIA_ROOT)
    files_before = _all_files(media)
    response = _upload(leader, world, "big.pdf", samples.PDF + b"0" * 200)
    assert "The selected file must be smaller than 100" in response.content.decode()
    assert not Evidence.objects.filter(title="Audit").exists()
    assert _all_files(media) == files_before


def test_a_zip_bomb_uploaded_by_a_pdu_leader_is_refused_and_nothing_is_stored(leader, world, settings):
    media = Path(settings.MEDIA_ROOT)
    files_before = _all_files(media)
    response = _upload(leader, world, "notes.odt", samples.odt_bomb(400 * 1024 * 1024))
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "unpacks to far more than its own size" in html
    assert not Evidence.objects.filter(title="Audit").exists()
    assert _all_files(media) == files_before


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\windows\\system32\\evil.pdf",
        "/etc/cron.d/evil.pdf",
        "Überprüfung – ☃ 监督 مراجعة.pdf",
        "\u202egnp.exe.pdf",
        "report\tSet-Cookie: x=1\x07.pdf",
        'quote" onload="x.pdf',
        "a" * 300 + ".pdf",
        "🙂" * 120 + ".pdf",
    ],
)
def test_the_uploaders_file_name_never_reaches_the_disk_or_the_headers(leader, world, settings, name):
    media = Path(settings.MEDIA_ROOT).resolve()
    response = _upload(leader, world, name, samples.PDF)
    assert response.status_code == 302, response.content.decode()[:2000]
    evidence = Evidence.objects.get(title="Audit")
    assert STORED_NAME.fullmatch(evidence.file.name), evidence.file.name
    stored = (media / evidence.file.name).resolve()
    assert stored.parent == media / "evidence" and stored.read_bytes() == samples.PDF
    assert len(evidence.original_filename) <= 255
    assert [p for p in _all_files(media) if media / "evidence" not in p.parents] == []

    download = leader.get(reverse("recommendations:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; filename")
    assert "\r" not in disposition and "\n" not in disposition
    assert "/" not in disposition.split("filename", 1)[1] or "filename*=utf-8''" in disposition
    assert ".." not in disposition
    assert disposition.endswith('.pdf"') or disposition.endswith(".pdf")
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "x" not in download.cookies


def test_a_name_that_breaks_the_upload_header_is_refused_clearly(leader, world, settings):
    """A line break ends the name in the multipart header; what is left has no allowed extension."""
    files_before = _all_files(Path(settings.MEDIA_ROOT))
    response = _upload(leader, world, "report\r\nSet-Cookie: x=1.pdf", samples.PDF)
    assert response.status_code == 200
    assert "The selected file must be a PDF, Word, Excel" in response.content.decode()
    assert not Evidence.objects.filter(title="Audit").exists()
    assert _all_files(Path(settings.MEDIA_ROOT)) == files_before


def test_text_that_looks_like_a_web_page_is_only_ever_downloaded(leader, world):
    """A .txt file may contain HTML; it is sent as an attachment, as plain text, never rendered."""
    assert _upload(leader, world, "notes.txt", samples.HTML).status_code == 302
    evidence = Evidence.objects.get(title="Audit")
    response = leader.get(reverse("recommendations:evidence_download", args=[evidence.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_uploaded_files_are_not_served_from_a_public_address(leader, world):
    for prefix in ("/media/", "/static/", "/"):
        assert leader.get(prefix + world.evidence.file.name).status_code == 404


def test_another_units_evidence_is_not_found_even_by_guessing_ids(client, world):
    client.force_login(world.other_leader)
    for evidence in Evidence.objects.all():
        assert client.get(reverse("recommendations:evidence_download", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("recommendations:evidence_download", args=[999999])).status_code == 404


def test_a_missing_file_is_not_found_rather_than_an_error(leader, world, settings):
    (Path(settings.MEDIA_ROOT) / world.evidence.file.name).unlink()
    assert leader.get(reverse("recommendations:evidence_download", args=[world.evidence.pk])).status_code == 404
