"""Reading ZIP archives from uploads without trusting them: the one place for that rule.

A ZIP's directory can promise anything: a few hundred kilobytes can unpack to
gigabytes (a "zip bomb"), or hold a million entries. Before anything is read the
archive's end record is checked for the number of entries, then every entry's sizes
for the compression ratio, and a member is only ever read up to a fixed number of
bytes, in small pieces. Memory use stays the same whatever the file holds.
"""

import struct
import zipfile

# A document's parts number in the tens or hundreds; thousands is not a document.
MAX_MEMBERS = 5000
# Office XML compresses well (10 to 30 times); nothing real comes near this.
MAX_RATIO = 200
# A member this small cannot do harm whatever its ratio (a run of spaces compresses 1000:1).
RATIO_EXEMPT_BYTES = 1024 * 1024
# Everything the members claim to unpack to, together.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
_END_RECORD = b"PK\x05\x06"
_END_RECORD_FORMAT = "<4s4H2LH"
_END_RECORD_SIZE = struct.calcsize(_END_RECORD_FORMAT)
_MAX_COMMENT = 0xFFFF
_CHUNK = 64 * 1024


class ArchiveRefused(ValueError):
    """The archive is refused; the message says why in plain English."""


def _declared_member_count(file) -> int | None:
    """The number of entries the archive's end record declares (None when it has none).

    Read from the last 64 KB before zipfile builds its list of entries, so a directory
    of a million entries is refused without a million objects in memory.
    """
    file.seek(0, 2)
    size = file.tell()
    start = max(0, size - _MAX_COMMENT - _END_RECORD_SIZE)
    file.seek(start)
    tail = file.read()
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) - at < _END_RECORD_SIZE:
        return None
    total_entries = struct.unpack(_END_RECORD_FORMAT, tail[at : at + _END_RECORD_SIZE])[4]
    return total_entries


def open_archive(file) -> zipfile.ZipFile:
    """Open an uploaded ZIP after checking its number of entries and their compression.

    Raises ArchiveRefused for an archive over the limits, zipfile.BadZipFile for one
    that is not a ZIP at all.
    """
    declared = _declared_member_count(file)
    # 0xFFFF means "see the ZIP64 record": more entries than any document has.
    if declared is not None and declared > MAX_MEMBERS:
        raise ArchiveRefused(f"it holds more than {MAX_MEMBERS:,} parts")
    file.seek(0)
    archive = zipfile.ZipFile(file)
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        archive.close()
        raise ArchiveRefused(f"it holds more than {MAX_MEMBERS:,} parts")
    total = 0
    for member in members:
        total += member.file_size
        too_compressed = member.file_size > RATIO_EXEMPT_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        )
        if too_compressed or total > MAX_UNPACKED_BYTES:
            archive.close()
            raise ArchiveRefused("it unpacks to far more than its own size, as a file made to exhaust a server does")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, *, max_bytes: int) -> bytes:
    """A member's contents, refused if it holds more than `max_bytes` (whatever its entry claims)."""
    read = bytearray()
    with archive.open(name) as member:
        while chunk := member.read(min(_CHUNK, max_bytes + 1 - len(read))):
            read += chunk
            if len(read) > max_bytes:
                raise ArchiveRefused(f"its {name} part is larger than a document's")
    return bytes(read)
