"""A Redis cache that fails soft: with Redis down, a read misses and a write is skipped.

Sessions are read from Redis and kept in the database (cached_db). Django's cached_db
falls back to the database when a read fails, but then writes the session back to the
cache unprotected, so with Redis stopped every signed-in request was a 500. Here every
cache call that cannot reach Redis is logged and answered as a miss, so pages, sign-in
and form posts carry on from the database until Redis is back.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _fail_soft(method_name: str, default):
    method = getattr(RedisCache, method_name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError) as exc:
            logger.warning("Cache %s skipped: Redis is unreachable (%s)", method_name, exc)
            return default() if callable(default) else default

    call.__name__ = method_name
    call.__doc__ = method.__doc__
    return call


class FailSoftRedisCache(RedisCache):
    add = _fail_soft("add", False)
    set = _fail_soft("set", None)
    touch = _fail_soft("touch", False)
    delete = _fail_soft("delete", False)
    get_many = _fail_soft("get_many", dict)
    has_key = _fail_soft("has_key", False)
    set_many = _fail_soft("set_many", list)
    delete_many = _fail_soft("delete_many", None)
    clear = _fail_soft("clear", None)

    def delete_reached(self, key, version=None) -> bool:
        """Delete `key`; False when Redis could not be reached, so the key may still be there."""
        try:
            super().delete(key, version)
        except (RedisError, OSError) as exc:
            logger.warning("Cache delete failed: Redis is unreachable (%s)", exc)
            return False
        return True

    def get(self, key, default=None, version=None):
        # A miss answers with the caller's default, so this one is written out.
        try:
            return super().get(key, default, version)
        except (RedisError, OSError) as exc:
            logger.warning("Cache get skipped: Redis is unreachable (%s)", exc)
            return default
