"""Authentication backends: passwords (limited once a provider is set) and provider sessions."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def password_sign_in_allowed(user) -> bool:
    """Everyone with `local` sign-in; otherwise only the named break-glass administrators."""
    if settings.SIGN_IN_PROVIDER == "local":
        return True
    return user.username in settings.BREAK_GLASS_USERNAMES and user.is_administrator


class PasswordBackend(ModelBackend):
    """Django's username and password check, for the people `password_sign_in_allowed` names.

    Everyone else is refused as a wrong password would be, so django-axes counts the try
    and locks the name out after repeated failures, as for any password sign-in.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not password_sign_in_allowed(user):
            return None
        return user


class ProviderBackend(ModelBackend):
    """Holds the sessions started by HMPPS Auth or Entra ID; it never checks a password.

    `signin.views.callback` signs a person in with this backend once their provider's
    token has been verified. Loading the user for each request is ModelBackend's, which
    refuses a deactivated account.
    """

    def authenticate(self, request, **credentials):
        return None
