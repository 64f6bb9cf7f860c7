"""Small real files of each kind the service accepts, and impostors it must refuse."""

import io
import zipfile

import openpyxl

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00;"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"\xec\xa5\xc1\x00" + b"\x00" * 600
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
CSV = "unit,audited,met\nDerby City,30,21\nLeicester,28,19 – £0\n".encode()
TEXT = "\ufeffNotes from the practice session – 12 attended.\n".encode()


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def ooxml(folder):
    main = {"word/": "word/document.xml", "xl/": "xl/workbook.xml", "ppt/": "ppt/presentation.xml"}[folder]
    return _zip([("[Content_Types].xml", "<Types/>"), ("_rels/.rels", "<Relationships/>"), (main, "<doc/>")])


def xlsx():
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Case audit"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odf(mime):
    return _zip([("mimetype", mime), ("content.xml", "<office:document-content/>")])


ODT = odf("application/vnd.oasis.opendocument.text")
PLAIN_ZIP = _zip([("notes.txt", "hello")])
