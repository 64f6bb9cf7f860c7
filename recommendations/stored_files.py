"""Reading and writing evidence files in whichever storage holds them: the local disk or an S3 bucket.

Everything that reads a stored file (downloads, the evidence pack, backups) comes here,
so that each works the same on a laptop and on several replicas sharing a bucket:
files are read in chunks, never whole into memory, and a file missing from either
storage is a FileNotFoundError.
"""

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage, storages
from storages.backends.s3 import S3Storage

CHUNK = 1024 * 1024


def _s3_storage() -> S3Storage | None:
    """The S3 storage when evidence lives in a bucket, else None."""
    storage = storages["default"]
    return storage if isinstance(storage, S3Storage) else None


def uses_object_storage() -> bool:
    return _s3_storage() is not None


def check_storage() -> str:
    """Raises if the evidence storage cannot be used; returns which kind it is ("s3" or "local")."""
    s3 = _s3_storage()
    if s3 is not None:
        # A missing bucket, refused credentials or no answer all raise here.
        s3.connection.meta.client.head_bucket(Bucket=s3.bucket_name)
        return "s3"
    folder = Path(default_storage.location)
    while not folder.exists():
        folder = folder.parent
    if not os.access(folder, os.W_OK):
        raise PermissionError(f"{folder} is not writable")
    return "local"


def open_stored_file(name: str):
    """A binary file-like object reading `name` from storage in chunks; the caller closes it."""
    s3 = _s3_storage()
    if s3 is None:
        return default_storage.open(name, "rb")
    from botocore.exceptions import ClientError

    try:
        response = s3.connection.meta.client.get_object(Bucket=s3.bucket_name, Key=s3._normalize_name(name))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
            raise FileNotFoundError(name) from exc
        raise
    return response["Body"]


def stored_size(name: str) -> int:
    return default_storage.size(name)


def iter_stored_names(folder: str) -> Iterator[str]:
    """Every file name under `folder` (e.g. "evidence"), relative to the storage's root, sorted."""
    s3 = _s3_storage()
    if s3 is None:
        root = Path(default_storage.location)
        base = root / folder
        if not base.is_dir():
            return iter(())
        return iter(sorted(path.relative_to(root).as_posix() for path in base.rglob("*") if path.is_file()))
    prefix = s3._normalize_name(folder.rstrip("/") + "/")
    location = s3.location.strip("/")
    strip = len(location) + 1 if location else 0
    names = []
    paginator = s3.connection.meta.client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=s3.bucket_name, Prefix=prefix):
        names.extend(item["Key"][strip:] for item in page.get("Contents", ()))
    return iter(sorted(names))


def sha256_of_stored_file(name: str) -> str:
    sha = hashlib.sha256()
    with open_stored_file(name) as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def save_stored_file_as(name: str, content) -> None:
    """Store `content` (a binary file-like object) under exactly `name`, which must be free."""
    if default_storage.exists(name):
        raise FileExistsError(name)
    saved = default_storage.save(name, File(content, name=name))
    if saved != name:
        default_storage.delete(saved)
        raise FileExistsError(name)


def delete_stored_file(name: str) -> None:
    default_storage.delete(name)


def presigned_download_url(name: str, *, filename: str, content_type: str) -> str | None:
    """A URL that lets its holder fetch `name` for a minute, or None when files are on local disk.

    Call only after the scope check: anyone holding the URL gets the file until it lapses.
    """
    s3 = _s3_storage()
    if s3 is None:
        return None
    from django.utils.http import content_disposition_header

    return s3.url(
        name,
        parameters={
            "ResponseContentDisposition": content_disposition_header(as_attachment=True, filename=filename),
            "ResponseContentType": content_type or "application/octet-stream",
        },
    )
