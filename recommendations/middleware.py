"""Request middleware: session time-outs and the Permissions-Policy header."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse


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
            started = session.setdefault("signed_in_at", now)
            last_seen = session.get("last_seen_at", now)
            if (
                not user.is_active
                or now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)
                return redirect(f"{reverse('login')}?timed_out=1&next={request.path}")
            # Write at most once a minute, so that every page view does not save the session.
            if now - last_seen >= 60 or "last_seen_at" not in session:
                session["last_seen_at"] = now
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """The service needs no device features: deny them all to every page."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response
