"""Small real files of each kind the service accepts, and impostors it must refuse."""

import io
import struct
import zipfile
import zlib

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


def odt_bomb(unpacked_bytes: int) -> bytes:
    """An OpenDocument text whose mimetype part unpacks to `unpacked_bytes` of "a" (a zip bomb).

    Written by hand so that it takes a moment, not the many seconds that deflating
    hundreds of megabytes would: each megabyte is deflated apart (a full flush between
    them), so every one gives the same bytes and one is repeated.
    """
    megabyte = b"a" * (1024 * 1024)
    count = unpacked_bytes // len(megabyte)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(megabyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = block * count + compressor.flush()
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(megabyte, crc)
    name = b"mimetype"
    size = count * len(megabyte)
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0)
    central = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0, 0, 0, 0, 0, 0
    )
    directory_at = len(local) + len(name) + len(data)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(name), directory_at, 0)
    return local + name + data + central + name + end
