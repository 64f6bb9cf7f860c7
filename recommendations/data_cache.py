"""Page parts cached until the plan's data changes.

The action plan and the dashboards are worked out from every action a user can see: at
national scale that is the costliest work the service does, and it gives the same
answer until something in the plan changes. A part is cached under the data version
(recommendations.models.DataVersion, raised by database triggers on every write to the
plan, its people and the measures of impact), the
day (the derived RAG and 'overdue' move with the date), the user (their scope) and the
address with its query string (filters, sort, page). A write anywhere makes every
cached part stale at once; the next request works its part out afresh.

Only parts without per-request secrets are cached: never a form with a CSRF token.
"""

import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.utils import timezone

from .models import DataVersion

# The caches this module keeps parts and downloads in (tracker.settings.CACHES).
DOWNLOADS_CACHE = "downloads"
PART_CACHES = ("default", DOWNLOADS_CACHE)
# A day at most: keys change with the date anyway; this only bounds what lingers.
TIMEOUT_SECONDS = 24 * 60 * 60
# The databases whose migrations install the triggers that raise the version.
_VERSIONED_DATABASES = ("postgresql", "sqlite")


def data_version(request) -> int | None:
    """The current data version, read once per request; None where it cannot be trusted."""
    if not hasattr(request, "_data_version"):
        version = None
        if connection.vendor in _VERSIONED_DATABASES:
            # Plain SQL: read on every request to a page that keeps parts, where building
            # the ORM query would cost more than running it.
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT number FROM {DataVersion._meta.db_table} WHERE id = 1")  # noqa: S608
                row = cursor.fetchone()
            version = row[0] if row else None
            if version is None:
                # The row goes when a database is emptied (flush); start again from a random
                # number so that no old key is reused. Nothing is cached in this request.
                DataVersion.objects.get_or_create(pk=1, defaults={"number": secrets.randbits(52)})
        request._data_version = version
    return request._data_version


def _key(request, name: str) -> str | None:
    """The cache key of part `name` for this request's user, address and day; None when nothing may be cached."""
    version = data_version(request)
    if version is None or not request.user.is_authenticated:
        return None
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"part:{name}:{version}:{timezone.localdate().isoformat()}:{request.user.pk}:{address}"


def cached_part(request, name: str, work_out):
    """`work_out()`'s result for this request's user, address and day, from the cache while the data is unchanged."""
    key = _key(request, name)
    if key is None:
        return work_out()
    value = cache.get(key)
    if value is None:
        value = work_out()
        cache.set(key, value, TIMEOUT_SECONDS)
    return value


def cached_download(request, name: str, make_chunks: Callable[[], Iterable[str]]) -> Iterator[str]:
    """A download's text, streamed from `make_chunks()` and kept for the next request while the data is unchanged.

    A download is kept only when it is at most DOWNLOAD_CACHE_MAX_CHARS long (a region's
    plan, not the whole country's), in a cache of its own with few entries, so that large
    files never crowd out the pages' parts or fill the memory. A file that is not kept
    is still streamed as it is made.
    """
    key = _key(request, name)
    if key is None:
        yield from make_chunks()
        return
    downloads = caches[DOWNLOADS_CACHE]
    kept = downloads.get(key)
    if kept is not None:
        yield kept
        return
    made, size = [], 0
    for chunk in make_chunks():
        yield chunk
        if made is not None:
            made.append(chunk)
            size += len(chunk)
            if size > settings.DOWNLOAD_CACHE_MAX_CHARS:
                made = None  # too large to keep: stream the rest without holding it
    if made is not None:
        downloads.set(key, "".join(made), TIMEOUT_SECONDS)


def forget_all_parts() -> None:
    """Empty the caches of parts and downloads (in this process), as a change to the data does.

    For tests and the benchmark: in service, a write makes cached parts stale without this.
    """
    for alias in PART_CACHES:
        caches[alias].clear()
