"""Whether the database and the task broker answer: for load balancers and monitoring."""

from django.conf import settings
from django.db import connection


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to reach the database means "error"; the detail stays in the logs
        return "error"
    return "ok"


def broker_status() -> str:
    """'in-process' when tasks run eagerly (no REDIS_URL), else whether Redis answers a PING."""
    if not settings.REDIS_URL:
        return "in-process"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except Exception:  # unreachable, refused, auth failure: all "error", without detail
        return "error"
    return "ok"
