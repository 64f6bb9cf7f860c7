"""Who the provider says has signed in, read only from tokens whose signature and claims check out."""

from dataclasses import dataclass, field

from django.conf import settings
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError
from joserfc.jwk import KeySet

from .models import Provider

# HMPPS Auth signs with RS256; nothing weaker (and never "none") is accepted.
ACCESS_TOKEN_ALGORITHMS = ["RS256"]


class SignInRefused(Exception):
    """The sign-in cannot go ahead; `message` says why, in words for the person signing in."""

    def __init__(self, message: str, *, title: str = "Sign-in failed"):
        super().__init__(message)
        self.title = title
        self.message = message


@dataclass(frozen=True)
class VerifiedIdentity:
    provider: str
    subject: str
    username: str
    name: str = ""
    email: str = ""
    auth_source: str = ""
    roles: list[str] = field(default_factory=list)


def decode_with_key_rotation(client, token: str, *, algorithms: list[str]):
    """Check a JWT's signature against the provider's key set, fetching it again once for an unknown key.

    A provider that rotates its keys publishes the new one before signing with it, so a
    key id not in the set held here means the set is out of date, not that the token is
    forged: one fresh fetch answers which.
    """
    try:
        return jwt.decode(token, KeySet.import_key_set(client.fetch_jwk_set()), algorithms=algorithms)
    except InvalidKeyIdError:
        return jwt.decode(token, KeySet.import_key_set(client.fetch_jwk_set(force=True)), algorithms=algorithms)


def hmpps_auth_identity(client, token: dict) -> VerifiedIdentity:
    """Read an HMPPS Auth access token (a JWT; HMPPS Auth issues no ID token) and the user's details."""
    access_token = token.get("access_token")
    if not access_token:
        raise SignInRefused("HMPPS Auth did not send an access token.")
    claims = decode_with_key_rotation(client, access_token, algorithms=ACCESS_TOKEN_ALGORITHMS).claims
    options = {"iss": {"essential": True, "value": settings.HMPPS_AUTH_ISSUER}, "exp": {"essential": True}}
    if settings.HMPPS_AUTH_AUDIENCE:
        options["aud"] = {"essential": True, "value": settings.HMPPS_AUTH_AUDIENCE}
    jwt.JWTClaimsRegistry(leeway=settings.SIGN_IN_LEEWAY_SECONDS, **options).validate(claims)
    # The token must have been issued to this service, not to another client of HMPPS Auth.
    if claims.get("client_id", settings.HMPPS_AUTH_CLIENT_ID) != settings.HMPPS_AUTH_CLIENT_ID:
        raise SignInRefused("The sign-in was issued for another service.")
    subject = str(claims.get("user_id") or claims.get("sub") or "")
    if not subject:
        raise SignInRefused("HMPPS Auth did not say who you are.")
    response = client.get(f"{settings.HMPPS_AUTH_URL}/api/user/me", token=token)
    response.raise_for_status()
    details = response.json()
    return VerifiedIdentity(
        provider=Provider.HMPPS_AUTH,
        subject=subject,
        username=details.get("username") or claims.get("user_name") or claims.get("sub", ""),
        name=details.get("name") or claims.get("name", ""),
        auth_source=details.get("authSource") or claims.get("auth_source", ""),
        roles=[str(role) for role in claims.get("authorities") or []],
    )


def entra_identity(token: dict) -> VerifiedIdentity:
    """Read the ID token Authlib has already checked (signature, issuer, audience, times, nonce)."""
    claims = token.get("userinfo")
    if not claims:
        raise SignInRefused("The identity provider did not send an ID token.")
    subject = claims.get("oid") or claims.get("sub")
    return VerifiedIdentity(
        provider=Provider.ENTRA,
        subject=str(subject),
        username=claims.get("preferred_username") or claims.get("email") or str(subject),
        name=claims.get("name", ""),
        email=claims.get("email") or "",
        roles=[str(role) for role in [*(claims.get("roles") or []), *(claims.get("groups") or [])]],
    )


def required_role(provider: str) -> str:
    return settings.HMPPS_AUTH_ROLE if provider == Provider.HMPPS_AUTH else settings.ENTRA_ROLE
