"""Evidence uploads are checked by content and by name, and refused with a clear message."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

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
