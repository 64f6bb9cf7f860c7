"""Production settings refuse insecure defaults; development ones start on their own."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _check(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")}
    env.update(env_overrides)
    env["DATABASE_URL"] = "sqlite:///:memory:"
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "too-short"}, "SECRET_KEY is insecure"),
        ({"DEBUG": "0", "SECRET_KEY": "django-insecure-" + "x" * 60}, "SECRET_KEY is insecure"),
    ],
)
def test_production_refuses_insecure_secret_key(env, message):
    result = _check(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_a_strong_key():
    result = _check({"DEBUG": "0", "SECRET_KEY": "k3y-" + "a1B2c3D4e5" * 6, "ALLOWED_HOSTS": "tracker.example"})
    assert result.returncode == 0, result.stderr


def test_development_starts_with_no_configuration():
    result = _check({})
    assert result.returncode == 0, result.stderr


def _setting(env_overrides, expression):
    """The value of a settings expression, in a fresh process with `env_overrides`."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL")}
    env.update(env_overrides, DATABASE_URL="sqlite:///:memory:", DJANGO_SETTINGS_MODULE="tracker.settings")
    code = f"from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return result.stdout.strip()


def test_with_redis_sessions_are_read_from_redis_and_kept_in_the_database():
    with_redis = {"REDIS_URL": "redis://127.0.0.1:6379/5"}
    # cached_db, ending every session of a person whose cached copy cannot be deleted (recommendations.sessions).
    assert _setting(with_redis, "settings.SESSION_ENGINE") == "recommendations.sessions"
    assert _setting(with_redis, "settings.CACHES[settings.SESSION_CACHE_ALIAS]['LOCATION']") == with_redis["REDIS_URL"]
    # With Redis down, the session cache misses instead of failing the request (tests/test_redis_outage.py).
    assert _setting(with_redis, "settings.CACHES['sessions']['BACKEND']") == "tracker.caches.FailSoftRedisCache"
    # Without Redis, never a per-process cache: signing out must end a session in every process.
    assert _setting({}, "settings.SESSION_ENGINE") == "django.contrib.sessions.backends.db"


def test_with_redis_every_worker_shares_the_dashboards_figures_and_without_it_each_keeps_its_own():
    with_redis = {"REDIS_URL": "redis://127.0.0.1:6379/5"}
    figures = "settings.CACHES['figures']"
    assert _setting(with_redis, f"{figures}['BACKEND'], {figures}['LOCATION']") == (
        f"tracker.caches.FailSoftRedisCache {with_redis['REDIS_URL']}"
    )
    assert _setting({}, f"{figures}['BACKEND']") == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.needs_services
@pytest.mark.django_db
def test_a_session_read_from_redis_ends_everywhere_when_its_user_signs_out(client, settings):
    import uuid

    import redis
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.conftest import skip_or_fail
    from tests.factories import UserFactory

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis is not reachable at {url}: {exc}")
    settings.CACHES = {
        **settings.CACHES,
        # Keys of this test's own, so that other runs sharing the Redis database are untouched.
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"sessions-test-{uuid.uuid4().hex}",
        },
    }
    settings.SESSION_ENGINE = "recommendations.sessions"
    settings.SESSION_CACHE_ALIAS = "sessions"
    home = reverse("recommendations:home")

    client.force_login(UserFactory())
    assert client.get(home).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(home).status_code == 200
    assert not [q for q in captured.captured_queries if "django_session" in q["sql"]]

    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    client.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
