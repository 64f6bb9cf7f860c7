"""With Redis stopped, the service carries on from the database; reminders queue again once it is back.

A real redis-server is started on a port of the test's own, holds the sessions
(cached_db through tracker.caches.FailSoftRedisCache, as in production), and is stopped
under a signed-in person, then started again.
"""

import datetime as dt

import pytest
import redis
import time_machine
from django.urls import reverse
from kombu import Connection

from recommendations.models import ActionStatus
from recommendations.sessions import end_sessions_of
from tests.factories import TEST_PASSWORD, UserFactory
from tests.processes import RedisServer
from tests.web_world import build_world
from tracker.celery import app as celery_app

pytestmark = [pytest.mark.django_db, pytest.mark.needs_services]


def use_redis_for_sessions(settings, url):
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {
            "BACKEND": "tracker.caches.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "sessions",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    settings.SESSION_ENGINE = "recommendations.sessions"
    settings.SESSION_CACHE_ALIAS = "sessions"


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path / "redis")
    yield server
    server.stop()


def test_with_redis_stopped_pages_sign_in_and_progress_updates_carry_on(client, settings, tmp_path, redis_server):
    use_redis_for_sessions(settings, redis_server.url)
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=True):
        world = build_world()
        sign_in(client, world.leader)
        action_page = reverse("recommendations:action_detail", args=[world.action.pk])
        assert client.get(action_page).status_code == 200

        redis_server.stop()

        for page in ("/", "/plan/", action_page):
            assert client.get(page).status_code == 200, page
        response = client.post(
            reverse("recommendations:action_log_progress", args=[world.action.pk]),
            {
                "version": str(world.action.version),
                "narrative": "Training booked.",
                "status": "blocked",
                "rag": "amber",
            },
        )
        assert response.status_code == 302
        world.action.refresh_from_db()
        assert world.action.status == ActionStatus.BLOCKED
        assert client.get(response["Location"]).status_code == 200
        # Signing in afresh works too, and so does signing out.
        other = client.__class__()
        sign_in(other, world.director)
        assert other.get("/").status_code == 200
        assert other.post(reverse("logout")).status_code == 302
        # A reminder cannot be handed to the broker while it is down (it stays in the
        # notification log for the next sweep) …
        with pytest.raises(Exception), Connection(redis_server.url, connect_timeout=1) as broker:  # noqa: B017
            broker.ensure_connection(max_retries=1)

        restarted = RedisServer(tmp_path / "redis", port=redis_server.port)
        try:
            assert client.get(action_page).status_code == 200
            # … and is queued again once Redis is back.
            with Connection(restarted.url) as broker:
                celery_app.send_task("reminders.tasks.send_reminder_digest", args=[1], connection=broker)
            assert redis.Redis.from_url(restarted.url).llen("celery") == 1
        finally:
            restarted.stop()


def _cached_session_keys(url):
    return list(redis.Redis.from_url(url).scan_iter(match="*sessions*"))


@pytest.mark.parametrize("ended_by", ["deactivation", "signing out"])
def test_a_session_ended_while_redis_is_down_stays_ended_when_redis_returns(client, settings, tmp_path, ended_by):
    folder = tmp_path / "redis"
    server = RedisServer(folder, persistent=True)
    use_redis_for_sessions(settings, server.url)
    person = UserFactory(username="leaving.lead")
    sign_in(client, person)
    assert client.get("/").status_code == 200
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert len(_cached_session_keys(server.url)) == 1

    server.stop()
    if ended_by == "deactivation":
        person.is_active = False
        person.save()
        end_sessions_of(person)
    else:
        assert client.post(reverse("logout")).status_code == 302

    server = RedisServer(folder, port=server.port, persistent=True)
    try:
        # Redis is back with the copy it held: deleting it was impossible while it was down.
        assert len(_cached_session_keys(server.url)) == 1
        person.refresh_from_db()
        person.is_active = True
        person.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    finally:
        server.stop()
