"""Request middleware: session time-outs, the Permissions-Policy header, no caching of private pages."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers


def session_has_lapsed(session, *, now: int) -> bool:
    """Idle for longer than the idle limit, or signed in for longer than the absolute limit."""
    return (
        now - session.get("last_seen_at", now) > settings.SESSION_IDLE_TIMEOUT
        or now - session.get("signed_in_at", now) > settings.SESSION_ABSOLUTE_TIMEOUT
    )


class SessionTimeoutMiddleware:
    """Sign a user out after a period of inactivity, or after an absolute limit.

    Also ends the session of a user who has been deactivated since signing in
    (Django's ModelBackend already refuses inactive users; this makes it immediate
    for the rest of their session too).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            session.setdefault("signed_in_at", now)
            last_seen = session.get("last_seen_at", now)
            if not user.is_active or session_has_lapsed(session, now=now):
                logout(request)
                return redirect(f"{reverse('login')}?{urlencode({'timed_out': 1, 'next': request.path})}")
            # Write at most once a minute, so that every page view does not save the session.
            if now - last_seen >= 60 or "last_seen_at" not in session:
                session["last_seen_at"] = now
        response = self.get_response(request)
        # Start both clocks at sign-in, so that even the first page after it is timed.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "signed_in_at" not in request.session:
            now = int(time.time())
            request.session["signed_in_at"] = now
            request.session["last_seen_at"] = now
        return response


class PermissionsPolicyMiddleware:
    """The service needs no device features: deny them all to every page."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response


class PrivatePagesNotCachedMiddleware:
    """Pages shown to a signed-in user hold sensitive information: no cache may keep them.

    A view that sets its own Cache-Control (e.g. a public page) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
