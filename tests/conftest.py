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
