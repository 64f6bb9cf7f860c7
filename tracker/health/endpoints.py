"""The health endpoints, answered before sessions, host checks and HTTPS redirects.

Probes and load balancers call these over plain HTTP with the pod's address as the
host name, and must get an honest status code even when PostgreSQL or Redis is down:
so they are answered by the first middleware, which never touches the session (whose
store may be the very part that is down) or ALLOWED_HOSTS.

| path | answers | status code |
|---|---|---|
| /ping, /health/liveness | the process is up; checks nothing | always 200 |
| /health/readiness | the database answers (no page works without it) | 200 or 503 |
| /health, /healthz | database, Redis and evidence storage | 200, or 503 if any is down |
| /info | version and build from the environment | 200 |

Which part failed is shown only to a signed-in administrator or to an address on
HEALTH_DETAIL_ALLOWED_NETWORKS; everyone else gets the overall status alone.
"""

import time

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers

from .checks import DOWN, UP, component_health, database_health
from .detail_access import may_see_details


def _response(body: dict, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    add_never_cache_headers(response)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def ping(request: HttpRequest) -> JsonResponse:
    return _response({"status": UP})


def readiness(request: HttpRequest) -> JsonResponse:
    return _report(request, {"database": database_health()})


def health(request: HttpRequest) -> JsonResponse:
    return _report(request, component_health())


def info(request: HttpRequest) -> JsonResponse:
    return _response(
        {
            "build": {
                "name": settings.SERVICE_NAME,
                "version": settings.APP_VERSION,
                "buildNumber": settings.BUILD_NUMBER,
                "gitRef": settings.GIT_REF,
                "branch": settings.GIT_BRANCH,
            },
            "uptime": round(time.monotonic() - _STARTED),
        }
    )


def _report(request: HttpRequest, components: dict) -> JsonResponse:
    healthy = all(component.is_up for component in components.values())
    body = {"status": UP if healthy else DOWN}
    # The details are looked up only when asked for, and the database is only used to
    # find a signed-in administrator when it answered.
    if may_see_details(request, database_up=components["database"].is_up):
        body["components"] = {name: component.as_json() for name, component in components.items()}
    return _response(body, status=200 if healthy else 503)


_STARTED = time.monotonic()
ENDPOINTS = {
    "/ping": ping,
    "/health/liveness": ping,
    "/health/readiness": readiness,
    "/health": health,
    "/healthz": health,
    "/info": info,
}


class HealthEndpointsMiddleware:
    """Answers GET and HEAD on the health paths itself; everything else goes on down the stack."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        endpoint = ENDPOINTS.get(request.path_info.rstrip("/") or "/")
        if endpoint is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _response({"status": "method not allowed"}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return endpoint(request)
