"""Until someone is given a role and unit, every page shows them "You do not have access yet"."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from recommendations.scope import has_access


class AccessRequiredMiddleware:
    """People created at their first sign-in through a provider have no access until an
    administrator gives it: rather than empty pages, they see who can give it."""

    # Pages that make sense without access: signing in and out, and the accessibility statement.
    OPEN_URL_NAMES = ("signin:no_access", "login", "logout", "recommendations:accessibility")

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not has_access(user) and not self._is_open(request.path):
            return redirect("signin:no_access")
        return self.get_response(request)

    def _is_open(self, path: str) -> bool:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in self.OPEN_URL_NAMES}
        return path in self._open_paths or path.startswith((settings.STATIC_URL, "/sign-in/", "/admin/"))
