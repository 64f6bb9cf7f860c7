"""/healthz: whether the database and the task broker answer, for monitoring; no sign-in, no detail."""

import pytest
from django.db.utils import OperationalError


@pytest.mark.django_db
def test_without_a_broker_the_health_check_reports_in_process_tasks_and_200(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "in-process"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_unreachable_broker_gives_503_without_detail(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error"}


@pytest.mark.django_db
def test_a_database_that_does_not_answer_gives_503(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: secret-host.internal")

    monkeypatch.setattr("reminders.health.connection.cursor", refuse)
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "error", "broker": "in-process"}
    assert b"secret-host" not in response.content


@pytest.mark.needs_services
@pytest.mark.django_db
def test_a_reachable_redis_broker_is_ok(client, settings):
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        from tests.conftest import skip_or_fail

        skip_or_fail("Redis is not reachable at 127.0.0.1:6379")
    settings.REDIS_URL = "redis://127.0.0.1:6379/5"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_the_health_check_needs_no_sign_in_and_only_answers_get(client, settings, db):
    settings.REDIS_URL = ""
    assert client.get("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
