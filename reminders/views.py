from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import broker_status, database_status

HEALTHY = {"ok", "in-process"}


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when the database and the broker answer, 503 otherwise. No sign-in; no detail."""
    checks = {"database": database_status(), "broker": broker_status()}
    status = 200 if set(checks.values()) <= HEALTHY else 503
    return JsonResponse(checks, status=status)
