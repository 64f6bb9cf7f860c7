"""Evidence uploads are checked by content and by name, and refused with a clear message."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from recommendations.archives import MAX_MEMBERS
from recommendations.evidence_files import check_evidence_file, download_filename
from tests import evidence_samples as samples


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("audit.pdf", samples.PDF, "application/pdf"),
        (
            "Plan.DOCX",
            samples.ooxml("word/"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("figures.xlsx", samples.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "slides.pptx",
            samples.ooxml("ppt/"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("old.doc", samples.OLE, "application/msword"),
        ("old.xls", samples.OLE, "application/vnd.ms-excel"),
        ("notes.odt", samples.ODT, "application/vnd.oasis.opendocument.text"),
        ("photo.png", samples.PNG, "image/png"),
        ("photo.jpeg", samples.JPEG, "image/jpeg"),
        ("photo.jpg", samples.JPEG, "image/jpeg"),
        ("chart.gif", samples.GIF, "image/gif"),
        ("figures.csv", samples.CSV, "text/csv"),
        ("notes.txt", samples.TEXT, "text/plain"),
    ],
)
def test_accepts_each_allowed_type_by_its_contents(name, content, content_type):
    uploaded = upload(name, content)
    assert check_evidence_file(uploaded).content_type == content_type
    assert uploaded.read() == content  # left at the start, ready to be stored


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", samples.EXE, "not a real PDF: its contents do not match its .pdf name"),
        ("chart.png", samples.HTML, "not a real PNG image"),
        ("photo.jpg", samples.PNG, "not a real JPEG image"),
        ("plan.docx", samples.ooxml("xl/"), "not a real Word document"),
        ("plan.docx", samples.PLAIN_ZIP, "not a real Word document"),
        ("plan.docx", samples.PDF, "not a real Word document"),
        ("notes.odt", samples.odf("application/vnd.oasis.opendocument.spreadsheet"), "not a real OpenDocument text"),
        ("old.doc", samples.PDF, "not a real Word 97-2003 document"),
        ("figures.csv", b"a,b\x00c", "not a real CSV file"),
        ("notes.txt", "caf\xe9".encode("latin-1"), "not a real plain text file"),
        ("notes.txt", samples.PNG, "not a real plain text file"),
        ("tool.exe", samples.EXE, "must be a PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF, CSV or plain"),
        ("page.html", samples.HTML, "must be a PDF, Word"),
        ("no-extension", samples.PDF, "must be a PDF, Word"),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
)
def test_refuses_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError) as refused:
        check_evidence_file(upload(name, content))
    assert message in refused.value.messages[0]


def test_refuses_a_file_over_the_size_limit(settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        check_evidence_file(upload("big.pdf", samples.PDF + b"0" * 1024))
    assert refused.value.messages == ["The selected file must be smaller than 1 KB"]
    check_evidence_file(upload("small.pdf", samples.PDF))


def test_the_default_limit_is_20_mb(settings):
    assert settings.EVIDENCE_MAX_UPLOAD_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("original", "stored", "expected"),
    [
        ("Case audit Q3.pdf", "evidence/ab12.pdf", "Case audit Q3.pdf"),
        ("..\\..\\windows\\evil.pdf", "evidence/ab12.pdf", "evil.pdf"),
        ('quote"s;\r\nSet-Cookie: x.pdf', "evidence/ab12.pdf", "quotesSet-Cookie x.pdf"),
        ("report.exe", "evidence/ab12.pdf", "report.exe.pdf"),
        ("", "evidence/ab12.docx", "evidence.docx"),
        ("Plan.PDF", "evidence/ab12.pdf", "Plan.pdf"),
    ],
)
def test_download_filename_is_safe_and_keeps_the_checked_extension(original, stored, expected):
    assert download_filename(original_filename=original, stored_name=stored) == expected


def _odt_with_mimetype_of(size: int, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """An OpenDocument text whose mimetype part holds `size` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        archive.writestr("mimetype", b"a" * size)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_without_unpacking_it():
    # Some 400 KB that unpack to 400 MB, as a PDU leader could upload.
    zip_bomb = samples.odt_bomb(400 * 1024 * 1024)
    assert len(zip_bomb) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            check_evidence_file(upload("notes.odt", zip_bomb))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.code == "archive"
    assert "unpacks to far more than its own size" in refused.value.messages[0]
    assert peak < 4 * 1024 * 1024


def test_an_archive_part_is_read_only_up_to_its_cap():
    # Stored, not compressed: no ratio to give it away, only its size.
    oversized = _odt_with_mimetype_of(64 * 1024, compression=zipfile.ZIP_STORED)
    with pytest.raises(ValidationError) as refused:
        check_evidence_file(upload("notes.odt", oversized))
    assert "mimetype part is larger than a document's" in refused.value.messages[0]


def test_an_archive_of_too_many_parts_is_refused_before_its_parts_are_listed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        for number in range(MAX_MEMBERS):
            archive.writestr(f"part-{number}.xml", "")
    with pytest.raises(ValidationError) as refused:
        check_evidence_file(upload("notes.odt", buffer.getvalue()))
    assert f"more than {MAX_MEMBERS:,} parts" in refused.value.messages[0]
