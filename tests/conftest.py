import os

import pytest

# Tests that need real PostgreSQL, Redis or a Celery worker skip on a laptop without
# them; CI sets REQUIRE_SERVICES=1, which turns that skip into a failure.
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") not in ("", "0", "false")


def skip_or_fail(reason: str):
    """Skip with a clear reason, or fail when CI demands the real services."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES is set, so this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded evidence in a test goes to a throwaway folder, never the project's media/.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def moto_s3(tmp_path_factory):
    """moto's S3-compatible server on a loopback port, for the whole test run."""
    from tests.processes import MotoS3

    server = MotoS3(tmp_path_factory.mktemp("moto"))
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(moto_s3, settings):
    """Evidence kept in a new, private, versioned bucket of the local S3 server for this test."""
    import uuid

    from tracker.storage_settings import evidence_storage

    env = moto_s3.env(moto_s3.create_bucket(f"evidence-{uuid.uuid4().hex[:12]}"))
    settings.AWS_STORAGE_BUCKET_NAME = env["AWS_STORAGE_BUCKET_NAME"]
    settings.STORAGES = {**settings.STORAGES, "default": evidence_storage(env)}
    return env
