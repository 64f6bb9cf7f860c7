"""Health endpoints: honest status codes for probes, details only for administrators and allow-listed addresses.

The Redis and database failures are real: a redis-server started (and stopped) by the
test on its own port, and a gunicorn whose database is a port where nothing listens.
"""

import pytest
import requests
from django.conf import settings as django_settings

from tests.conftest import skip_or_fail
from tests.factories import UserFactory

OUTSIDE = "203.0.113.7"  # not on HEALTH_DETAIL_ALLOWED_NETWORKS
HEALTH_PATHS = ["/health", "/healthz"]


def test_ping_and_liveness_answer_without_the_database(client, settings):
    # No database access is allowed in this test: pytest-django raises on any query.
    for path in ("/ping", "/health/liveness", "/ping/"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json() == {"status": "UP"}
        assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", HEALTH_PATHS)
def test_an_allow_listed_address_sees_each_component(client, settings, path):
    settings.REDIS_URL = ""
    response = client.get(path)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "UP"
    assert body["components"]["database"]["status"] == "UP"
    assert body["components"]["redis"] == {"status": "UP", "details": {"mode": "in-process"}}
    assert body["components"]["storage"] == {"status": "UP", "details": {"backend": "local"}}


@pytest.mark.django_db
@pytest.mark.parametrize("path", [*HEALTH_PATHS, "/health/readiness"])
def test_anyone_else_gets_the_status_alone(client, settings, path):
    settings.REDIS_URL = ""
    response = client.get(path, REMOTE_ADDR=OUTSIDE)
    assert response.status_code == 200
    assert response.json() == {"status": "UP"}


@pytest.mark.django_db
def test_a_forwarded_header_does_not_make_an_outside_address_allow_listed(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/health", REMOTE_ADDR=OUTSIDE, HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.json() == {"status": "UP"}


@pytest.mark.django_db
def test_a_signed_in_administrator_sees_the_details_from_anywhere_and_a_pdu_leader_does_not(client, settings):
    settings.REDIS_URL = ""
    client.force_login(UserFactory(role="administrator"))
    assert "components" in client.get("/health", REMOTE_ADDR=OUTSIDE).json()
    client.force_login(UserFactory())
    assert client.get("/health", REMOTE_ADDR=OUTSIDE).json() == {"status": "UP"}


@pytest.mark.django_db
def test_an_administrator_whose_session_has_lapsed_sees_no_details(client, settings):
    settings.REDIS_URL = ""
    client.force_login(UserFactory(role="administrator"))
    session = client.session
    session["last_seen_at"] = 1
    session.save()
    assert client.get("/health", REMOTE_ADDR=OUTSIDE).json() == {"status": "UP"}


@pytest.mark.django_db
def test_probes_are_answered_whatever_the_host_name_and_over_plain_http(client, settings):
    settings.REDIS_URL = ""
    settings.ALLOWED_HOSTS = ["tracker.example"]
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/ping", "/health/readiness", "/health"):
        response = client.get(path, HTTP_HOST="10.1.2.3:8000")
        assert response.status_code == 200, path
    # Everything else still checks the host name.
    assert client.get("/sign-in/", HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_info_reports_the_build_from_the_environment(client, settings):
    settings.BUILD_NUMBER = "2026-11-30.42.abc1234"
    settings.GIT_REF = "abc1234"
    settings.GIT_BRANCH = "main"
    response = client.get("/info")
    assert response.status_code == 200
    build = response.json()["build"]
    assert build["buildNumber"] == "2026-11-30.42.abc1234"
    assert build["gitRef"] == "abc1234"
    assert build["branch"] == "main"
    assert build["version"] == django_settings.APP_VERSION


def test_health_endpoints_only_answer_get_and_head(client):
    response = client.post("/health")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_a_missing_bucket_makes_storage_down(client, settings, s3_bucket, moto_s3):
    assert client.get("/health").json()["components"]["storage"] == {"status": "UP", "details": {"backend": "s3"}}
    moto_s3.client().delete_bucket(Bucket=s3_bucket["AWS_STORAGE_BUCKET_NAME"])
    settings.REDIS_URL = ""
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["components"]["storage"]["status"] == "DOWN"
    # Pages can still be served without the bucket, so the pod stays ready.
    assert client.get("/health/readiness").status_code == 200


@pytest.mark.needs_services
@pytest.mark.django_db
def test_with_redis_stopped_health_is_503_naming_redis_with_or_without_a_session_cookie(client, settings, tmp_path):
    from tests.processes import RedisServer

    redis_server = RedisServer(tmp_path / "redis")
    try:
        settings.REDIS_URL = redis_server.url
        settings.CACHES = {
            **settings.CACHES,
            "sessions": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_server.url},
        }
        settings.SESSION_ENGINE = "recommendations.sessions"
        settings.SESSION_CACHE_ALIAS = "sessions"
        client.force_login(UserFactory(role="administrator"))
        assert client.get("/health", REMOTE_ADDR=OUTSIDE).status_code == 200

        redis_server.stop()

        for path in HEALTH_PATHS:
            signed_in = client.get(path)
            assert signed_in.status_code == 503
            assert signed_in.json()["components"]["redis"]["status"] == "DOWN"
            assert signed_in.json()["components"]["database"]["status"] == "UP"
            client.cookies["sessionid"] = "a-session-key-that-was-never-issued"
            assert client.get(path).status_code == 503
            client.cookies.pop("sessionid")
            no_cookie = client.get(path)
            assert no_cookie.status_code == 503
            assert no_cookie.json()["components"]["redis"]["status"] == "DOWN"
            assert client.get(path, REMOTE_ADDR=OUTSIDE).json() == {"status": "DOWN"}
        # Pages are still served from the database: the pod stays ready.
        assert client.get("/health/readiness").status_code == 200

        redis_server = RedisServer(tmp_path / "redis", port=redis_server.port)
        assert client.get("/health").status_code == 200
    finally:
        redis_server.stop()


@pytest.fixture
def gunicorn_without_a_database(tmp_path):
    from tests.processes import Gunicorn, refused_port

    if not (django_settings.BASE_DIR / "gunicorn.conf.py").exists():
        skip_or_fail("gunicorn.conf.py is missing")
    with refused_port() as nowhere:
        env = {
            "PATH": "/usr/bin:/bin",
            "DEBUG": "0",
            "SECRET_KEY": "health-" + "Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Zx9" * 2,
            "ALLOWED_HOSTS": "tracker.example",
            "SECURE_SSL_REDIRECT": "0",
            "BIND_ADDRESS": "127.0.0.1",
            # Nothing listens here: every query fails to connect.
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{nowhere}/nowhere",
            "DATABASE_CONNECT_TIMEOUT": "2",
            "MEDIA_ROOT": str(tmp_path / "media"),
        }
        server = Gunicorn(tmp_path / "web", env)
        yield server
        server.stop()


def test_with_the_database_unreachable_health_is_503_naming_it_with_or_without_a_session_cookie(
    gunicorn_without_a_database,
):
    url = gunicorn_without_a_database.url
    assert requests.get(url + "/ping", timeout=10).status_code == 200
    for path in ("/health", "/healthz", "/health/readiness"):
        for cookies in ({}, {"sessionid": "abcdefghijklmnopqrstuvwxyz012345"}):
            response = requests.get(url + path, cookies=cookies, timeout=20, allow_redirects=False)
            assert response.status_code == 503, (path, cookies, response.text[:500])
            assert response.json()["components"]["database"]["status"] == "DOWN"
            assert "5432" not in response.text and "nowhere" not in response.text
