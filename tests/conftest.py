import os
import re

import pytest
from django.conf import global_settings

# Tests that need real PostgreSQL, Redis or a Celery worker skip on a laptop without
# them; CI sets REQUIRE_SERVICES=1, which turns that skip into a failure.
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") not in ("", "0", "false")


def _share_out_between_workers(environ=os.environ):
    """Give each parallel test process (pytest-xdist's gw0, gw1, …) its own loopback ports and
    Redis database, as pytest-django gives each its own test database: two Celery workers on
    one Redis database would take each other's tasks, and two tests could pick the same port."""
    worker = environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    index, count = int(worker.removeprefix("gw")), int(environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    low, high = (int(part) for part in environ.get("TEST_PORT_RANGE", "7500-7599").split("-"))
    share = (high - low + 1) // count
    environ["TEST_PORT_RANGE"] = f"{low + index * share}-{low + (index + 1) * share - 1}"
    url = environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    base, db = re.fullmatch(r"(.*?)(?:/(\d+))?", url).groups()
    environ["TEST_REDIS_URL"] = f"{base}/{(int(db or 0) + index) % 16}"


_share_out_between_workers()


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
    # pytest-django turns DEBUG off after the settings have turned WhiteNoise's finders on, so
    # every test client's WhiteNoise would list and stat all 1,400 static files (GOV.UK and MoJ
    # Frontend's, the admin's) before its first request: half a second per client. Looking a
    # file up when it is asked for, as the development server does, serves the same files.
    settings.WHITENOISE_AUTOREFRESH = True
    # Signing in checks a password in a moment, not half a second (see tests/factories.py).
    settings.PASSWORD_HASHERS = ["tests.factories.QuickPBKDF2PasswordHasher", *global_settings.PASSWORD_HASHERS]
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


# The published data (fixtures/inspections.json) for a module's tests, and the demo data on top:
# test_fixtures.py and test_fixtures_demo.py.
FIXTURES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures")


@pytest.fixture(scope="module")
def _published_for_the_module(django_db_setup, django_db_blocker):
    # Loading the published data takes a second or so: it is loaded once, in a transaction that
    # each test's own (rolled back after it) nests in, and itself rolled back after the module.
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", os.path.join(FIXTURES_DIR, "inspections.json"), verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def published(_published_for_the_module, db):
    pass


@pytest.fixture
def demo(published):
    from django.core.management import call_command

    call_command("loaddata", os.path.join(FIXTURES_DIR, "demo.json"), verbosity=0)
