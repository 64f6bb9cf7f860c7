"""Which uploaded files the service accepts as evidence: the one place for that rule.

A file is accepted only when its name's extension is on the allow-list AND its
contents are what that extension says. Contents are checked from the bytes (magic
numbers via `filetype`, the parts list of zip-based office documents, UTF-8 for
text), never from the browser's Content-Type, so an executable renamed .pdf or a web
page renamed .png is refused.
"""

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from .archives import ArchiveRefused, open_archive, read_member

# An OpenDocument's mimetype part is one short line (e.g. 46 bytes).
MIMETYPE_MAX_BYTES = 256
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEAD_BYTES = 8192


@dataclass(frozen=True)
class EvidenceType:
    label: str
    content_type: str
    extensions: tuple[str, ...]
    # How the contents are checked: "magic" (filetype's signature for content_type),
    # "ooxml" (zip holding the named folder), "odf" (zip whose mimetype entry matches),
    # "ole" (legacy Office compound file) or "text" (UTF-8 without NUL bytes).
    check: str
    ooxml_folder: str = ""


EVIDENCE_TYPES = (
    EvidenceType("PDF", "application/pdf", (".pdf",), "magic"),
    EvidenceType(
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
        "ooxml",
        "word/",
    ),
    EvidenceType(
        "Excel spreadsheet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
        "ooxml",
        "xl/",
    ),
    EvidenceType(
        "PowerPoint presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (".pptx",),
        "ooxml",
        "ppt/",
    ),
    EvidenceType("Word 97-2003 document", "application/msword", (".doc",), "ole"),
    EvidenceType("Excel 97-2003 spreadsheet", "application/vnd.ms-excel", (".xls",), "ole"),
    EvidenceType("PowerPoint 97-2003 presentation", "application/vnd.ms-powerpoint", (".ppt",), "ole"),
    EvidenceType("OpenDocument text", "application/vnd.oasis.opendocument.text", (".odt",), "odf"),
    EvidenceType("OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", (".ods",), "odf"),
    EvidenceType("OpenDocument presentation", "application/vnd.oasis.opendocument.presentation", (".odp",), "odf"),
    EvidenceType("PNG image", "image/png", (".png",), "magic"),
    EvidenceType("JPEG image", "image/jpeg", (".jpg", ".jpeg"), "magic"),
    EvidenceType("GIF image", "image/gif", (".gif",), "magic"),
    EvidenceType("CSV file", "text/csv", (".csv",), "text"),
    EvidenceType("plain text file", "text/plain", (".txt",), "text"),
)
TYPES_BY_EXTENSION = {ext: kind for kind in EVIDENCE_TYPES for ext in kind.extensions}
ALLOWED_EXTENSIONS = tuple(TYPES_BY_EXTENSION)
# For the hint on the upload form and for the "wrong type" message.
ALLOWED_DESCRIPTION = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF, CSV or plain text"


def max_upload_description() -> str:
    """The size limit in words: '20 MB'."""
    size = settings.EVIDENCE_MAX_UPLOAD_BYTES
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return filesizeformat(size).replace("\xa0", " ")


def check_evidence_file(uploaded) -> EvidenceType:
    """Return the file's type, or raise ValidationError saying why the file is refused."""
    size = uploaded.size or 0
    if size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    if size > settings.EVIDENCE_MAX_UPLOAD_BYTES:
        raise ValidationError(f"The selected file must be smaller than {max_upload_description()}", code="too_big")
    extension = PurePath(uploaded.name or "").suffix.lower()
    kind = TYPES_BY_EXTENSION.get(extension)
    if kind is None:
        raise ValidationError(f"The selected file must be a {ALLOWED_DESCRIPTION} file", code="type")
    try:
        matches = _contents_match(uploaded, kind)
    finally:
        uploaded.seek(0)
    if not matches:
        raise ValidationError(
            f"The selected file is not a real {kind.label}: its contents do not match its {extension} name. "
            f"Save it again as a {kind.label} and upload that",
            code="mismatch",
        )
    return kind


def _read_head(uploaded) -> bytes:
    uploaded.seek(0)
    return uploaded.read(HEAD_BYTES)


def _contents_match(uploaded, kind: EvidenceType) -> bool:
    head = _read_head(uploaded)
    if kind.check == "magic":
        guessed = filetype.guess(head)
        return guessed is not None and guessed.mime == kind.content_type
    if kind.check == "ole":
        # Word, Excel and PowerPoint 97-2003 share one container format, and the bytes
        # that tell them apart are not at fixed places (filetype's guesses overlap), so
        # the container is checked and the extension names the program.
        return head.startswith(OLE_SIGNATURE)
    if kind.check in ("ooxml", "odf"):
        return head.startswith(b"PK\x03\x04") and _zip_document_matches(uploaded, kind)
    if kind.check == "text":
        return filetype.guess(head) is None and _is_utf8_text(uploaded)
    return False


def _zip_document_matches(uploaded, kind: EvidenceType) -> bool:
    uploaded.seek(0)
    try:
        with open_archive(uploaded) as archive:
            names = archive.namelist()
            if kind.check == "ooxml":
                return "[Content_Types].xml" in names and any(name.startswith(kind.ooxml_folder) for name in names)
            if "mimetype" not in names:
                return False
            mimetype = read_member(archive, "mimetype", max_bytes=MIMETYPE_MAX_BYTES)
            return mimetype.strip() == kind.content_type.encode("ascii")
    except ArchiveRefused as refused:
        raise ValidationError(
            f"The selected file cannot be accepted: {refused}. Save it again as a {kind.label} and upload that",
            code="archive",
        ) from refused
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False


def _is_utf8_text(uploaded) -> bool:
    uploaded.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        for chunk in uploaded.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def download_filename(*, original_filename: str, stored_name: str) -> str:
    """A safe name for Content-Disposition: the uploader's name without any path or
    control characters, always ending in the stored file's (checked) extension."""
    extension = PurePath(stored_name).suffix.lower()
    stem = PurePath(original_filename.replace("\\", "/")).name
    stem = PurePath(stem).stem if PurePath(stem).suffix.lower() == extension else stem
    cleaned = "".join(ch for ch in stem if ch.isprintable() and ch not in '"\\/:*?<>|;').strip(" .")
    return f"{cleaned[:100] or 'evidence'}{extension}"
