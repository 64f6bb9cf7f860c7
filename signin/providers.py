"""The configured sign-in provider, as an Authlib client.

Authlib's Django client does the authorisation-code flow for both providers: the `state`
kept in the session, PKCE (S256), the `nonce` for OpenID Connect, and the ID token's
signature, issuer, audience and times. HMPPS Auth issues no ID token, so its JWT access
token is checked by `signin.identities` against the same client's key set.
"""

import functools
from urllib.parse import urlencode

from authlib.integrations.django_client import OAuth
from django.conf import settings

from .models import Provider


@functools.cache
def _client(provider: str, config: tuple):
    """One client per process and configuration: it keeps the provider's metadata and keys."""
    options = dict(config)
    oauth = OAuth()
    client_kwargs = {
        "scope": options.pop("scope"),
        "code_challenge_method": "S256",
        "default_timeout": settings.SIGN_IN_HTTP_TIMEOUT_SECONDS,
    }
    return oauth.register(name=provider, client_kwargs=client_kwargs, **options)


def _hmpps_auth_config() -> tuple:
    base = settings.HMPPS_AUTH_URL
    return (
        ("client_id", settings.HMPPS_AUTH_CLIENT_ID),
        ("client_secret", settings.HMPPS_AUTH_CLIENT_SECRET),
        ("authorize_url", f"{base}/oauth/authorize"),
        ("access_token_url", f"{base}/oauth/token"),
        ("jwks_uri", f"{base}/.well-known/jwks.json"),
        ("issuer", settings.HMPPS_AUTH_ISSUER),
        ("scope", settings.HMPPS_AUTH_SCOPE),
    )


def _entra_config() -> tuple:
    return (
        ("client_id", settings.ENTRA_CLIENT_ID),
        ("client_secret", settings.ENTRA_CLIENT_SECRET),
        ("server_metadata_url", f"{settings.ENTRA_ISSUER_URL}/.well-known/openid-configuration"),
        ("scope", "openid profile email"),
    )


def current_provider() -> str:
    """`hmpps-auth`, `entra`, or `local` (username and password)."""
    return settings.SIGN_IN_PROVIDER


def provider_label(provider: str | None = None) -> str:
    provider = provider or current_provider()
    return Provider(provider).label if provider in Provider.values else "your username and password"


def client_for(provider: str):
    """The Authlib client for a provider, with the settings in force now."""
    if provider == Provider.HMPPS_AUTH:
        return _client(provider, _hmpps_auth_config())
    if provider == Provider.ENTRA:
        return _client(provider, _entra_config())
    raise ValueError(f"No sign-in provider called {provider!r}")


def hmpps_auth_sign_out_url(*, redirect_uri: str) -> str:
    query = urlencode({"client_id": settings.HMPPS_AUTH_CLIENT_ID, "redirect_uri": redirect_uri})
    return f"{settings.HMPPS_AUTH_URL}/sign-out?{query}"
