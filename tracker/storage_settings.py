"""Where uploaded evidence is kept: the local disk, or an S3 bucket when AWS_STORAGE_BUCKET_NAME is set.

The bucket is private and every object is encrypted at rest (SSE-S3, or SSE-KMS with
AWS_S3_SSE_KMS_KEY_ID). Objects are never public and never overwritten; a user gets a
file only through the download view, after the scope check, either streamed by the
service or (EVIDENCE_DOWNLOAD=redirect) by a presigned URL that lapses in a minute.
On the platform the credentials come from the pod's role, so the keys stay unset; a
local S3-compatible server needs AWS_S3_ENDPOINT_URL and keys.
"""

from collections.abc import Mapping


def _client_config():
    from botocore.config import Config

    # A bucket that does not answer fails a request in seconds, not minutes.
    return Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 3, "mode": "standard"})


def evidence_storage(environ: Mapping[str, str]) -> dict:
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    kms_key = environ.get("AWS_S3_SSE_KMS_KEY_ID", "")
    encryption = (
        {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key} if kms_key else {"ServerSideEncryption": "AES256"}
    )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "region_name": environ.get("AWS_S3_REGION_NAME", "eu-west-2"),
            "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
            "access_key": environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": environ.get("AWS_S3_LOCATION", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(environ.get("AWS_S3_PRESIGNED_EXPIRY_SECONDS") or 60),
            "file_overwrite": False,
            "object_parameters": encryption,
            "signature_version": "s3v4",
            "addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "client_config": _client_config(),
        },
    }
