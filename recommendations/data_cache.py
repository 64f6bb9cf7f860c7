"""Page parts cached until the plan's data changes.

The action plan and the dashboards are worked out from every action a user can see: at
national scale that is the costliest work the service does, and it gives the same
answer until something in the plan changes. A part is cached under the data version
(recommendations.models.DataVersion, raised by database triggers on every write), the
day (the derived RAG and 'overdue' move with the date), the user (their scope) and the
address with its query string (filters, sort, page). A write anywhere makes every
cached part stale at once; the next request works its part out afresh.

Only parts without per-request secrets are cached: never a form with a CSRF token.
"""

import hashlib
import secrets

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .models import DataVersion

# A day at most: keys change with the date anyway; this only bounds what lingers.
TIMEOUT_SECONDS = 24 * 60 * 60
# The databases whose migrations install the triggers that raise the version.
_VERSIONED_DATABASES = ("postgresql", "sqlite")


def data_version(request) -> int | None:
    """The current data version, read once per request; None where it cannot be trusted."""
    if not hasattr(request, "_data_version"):
        version = None
        if connection.vendor in _VERSIONED_DATABASES:
            version = DataVersion.objects.filter(pk=1).values_list("number", flat=True).first()
            if version is None:
                # The row goes when a database is emptied (flush); start again from a random
                # number so that no old key is reused. Nothing is cached in this request.
                DataVersion.objects.get_or_create(pk=1, defaults={"number": secrets.randbits(52)})
        request._data_version = version
    return request._data_version


def cached_part(request, name: str, work_out):
    """`work_out()`'s result for this request's user, address and day, from the cache while the data is unchanged."""
    version = data_version(request)
    if version is None or not request.user.is_authenticated:
        return work_out()
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    key = f"part:{name}:{version}:{timezone.localdate().isoformat()}:{request.user.pk}:{address}"
    value = cache.get(key)
    if value is None:
        value = work_out()
        cache.set(key, value, TIMEOUT_SECONDS)
    return value
