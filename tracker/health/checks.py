"""Whether each part the service depends on answers: the database, Redis and file storage.

Each check answers within a few seconds whatever the failure (connect timeouts are
bounded) and never lets an exception out: a failure is "DOWN" with the exception's
class name only, since messages can carry host names and credentials.
"""

import contextlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from recommendations.stored_files import check_storage

UP = "UP"
DOWN = "DOWN"


@dataclass(frozen=True)
class ComponentHealth:
    status: str
    details: dict = field(default_factory=dict)

    @property
    def is_up(self) -> bool:
        return self.status == UP

    def as_json(self) -> dict:
        return {"status": self.status, **({"details": self.details} if self.details else {})}


def _down(exc: Exception) -> ComponentHealth:
    return ComponentHealth(DOWN, {"error": type(exc).__name__})


def database_health() -> ComponentHealth:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to reach the database is DOWN
        # A broken connection is dropped, so the next check (or request) opens a new one.
        with contextlib.suppress(Exception):
            connection.close_if_unusable_or_obsolete()
        return _down(exc)
    return ComponentHealth(UP, {"vendor": connection.vendor})


def redis_health() -> ComponentHealth:
    """Redis holds the task queue and the session cache; without REDIS_URL tasks run in-process."""
    if not settings.REDIS_URL:
        return ComponentHealth(UP, {"mode": "in-process"})
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # refused, unreachable, auth failure: all DOWN
        return _down(exc)
    return ComponentHealth(UP)


def storage_health() -> ComponentHealth:
    """The evidence storage: the bucket answers (or the local folder is writable)."""
    try:
        backend = check_storage()
    except Exception as exc:
        return _down(exc)
    return ComponentHealth(UP, {"backend": backend})


def component_health(*, include_storage: bool = True) -> dict[str, ComponentHealth]:
    components = {"database": database_health(), "redis": redis_health()}
    if include_storage:
        components["storage"] = storage_health()
    return components
