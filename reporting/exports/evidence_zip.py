"""Write an evidence pack to a ZIP file: an index page and the evidence files, organised by recommendation.

The ZIP is written to a temporary file on disk, not held in memory, so a pack of many
large files does not exhaust the server; the files are copied in chunks.
"""

import shutil
import tempfile
import zipfile

from django.template.loader import render_to_string

from recommendations.stored_files import open_stored_file

from ..selectors.evidence_pack import EvidencePack

INDEX_NAME = "index.html"
_CHUNK = 1024 * 1024


def write_evidence_zip(pack: EvidencePack, stream) -> list[str]:
    """Write the pack to `stream`; returns the paths of files that could not be read from storage."""
    missing = []
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in pack.files:
            try:
                with open_stored_file(item.evidence.file.name) as source, archive.open(item.zip_path, "w") as target:
                    shutil.copyfileobj(source, target, _CHUNK)
            except (FileNotFoundError, OSError):
                missing.append(item.zip_path)
        # The index is written last so that it can say which files were missing from storage.
        index = render_to_string("reporting/evidence_pack_index.html", {"pack": pack, "missing": set(missing)})
        archive.writestr(INDEX_NAME, index)
    return missing


def evidence_zip_tempfile(pack: EvidencePack):
    """The pack as a rewound temporary file, deleted when closed (e.g. by FileResponse)."""
    handle = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115 - the caller closes it
    write_evidence_zip(pack, handle)
    handle.seek(0)
    return handle
