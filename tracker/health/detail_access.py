"""Who may see which part of the service is down: signed-in administrators and allow-listed addresses."""

import ipaddress
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user
from django.http import HttpRequest

from recommendations.middleware import session_has_lapsed


def may_see_details(request: HttpRequest, *, database_up: bool) -> bool:
    return _from_allowed_network(request) or (database_up and _is_signed_in_administrator(request))


def _from_allowed_network(request: HttpRequest) -> bool:
    # The connecting address only: a forwarded header could be written by anyone.
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False) for network in settings.HEALTH_DETAIL_ALLOWED_NETWORKS
    )


def _is_signed_in_administrator(request: HttpRequest) -> bool:
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return False
    try:
        # A read-only look at the session: nothing is saved, so a broken session
        # store cannot turn the health answer into an error.
        request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
        if session_has_lapsed(request.session, now=int(time.time())):
            return False
        user = get_user(request)
        return bool(user.is_authenticated and user.is_active and user.is_administrator)
    except Exception:  # an unreadable session is no administrator's
        return False
