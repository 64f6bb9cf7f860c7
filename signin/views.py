"""Signing in through HMPPS Auth or Entra ID, or with a password; signing out; "no access yet"."""

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe
from joserfc.errors import JoseError

from recommendations.scope import has_access
from recommendations.views.auth import SignInView as PasswordSignInView

from .identities import SignInRefused, entra_identity, hmpps_auth_identity
from .models import Provider
from .providers import client_for, current_provider, hmpps_auth_sign_out_url, provider_label
from .selectors import access_givers
from .services import record_sign_in

logger = logging.getLogger(__name__)

NEXT_KEY = "signin_next"
PROVIDER_KEY = "signin_provider"
ID_TOKEN_KEY = "signin_id_token"
PROVIDER_BACKEND = "signin.backends.ProviderBackend"


def _safe_next(request, url: str) -> str:
    allowed_hosts = {request.get_host()}
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=allowed_hosts, require_https=request.is_secure()):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_not_required
def sign_in(request):
    """The password form with `local` sign-in; otherwise a start button for the provider."""
    if current_provider() == "local":
        return PasswordSignInView.as_view()(request)
    if request.method == "POST":
        # A break-glass administrator's password, posted from /sign-in/password/.
        return password_sign_in(request)
    if request.user.is_authenticated:
        return redirect(_safe_next(request, request.GET.get("next", "")))
    return render(
        request,
        "signin/start.html",
        {
            "provider_label": provider_label(),
            "next": request.GET.get("next", ""),
            "timed_out": request.GET.get("timed_out") == "1",
            "break_glass": bool(settings.BREAK_GLASS_USERNAMES),
        },
    )


@login_not_required
def password_sign_in(request):
    """Username and password for the break-glass administrators, when a provider is set."""
    if current_provider() != "local" and not settings.BREAK_GLASS_USERNAMES:
        raise Http404("Password sign-in is turned off.")
    return PasswordSignInView.as_view(
        extra_context={"break_glass": current_provider() != "local", "provider_label": provider_label()}
    )(request)


@login_not_required
@require_safe
def start(request):
    """Send the person to the provider's sign-in page, remembering where they were going."""
    provider = current_provider()
    if provider == "local":
        return redirect("login")
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next", ""))
    redirect_uri = request.build_absolute_uri(reverse("signin:callback"))
    try:
        return client_for(provider).authorize_redirect(request, redirect_uri)
    except requests.RequestException:
        logger.exception("The sign-in provider could not be reached to start a sign-in")
        return _provider_unreachable(request)


def _refused(request, refusal: SignInRefused, *, status: int = 400):
    """A clear page, and no session: whatever the half-finished sign-in had kept is dropped."""
    request.session.flush()
    return render(
        request,
        "signin/refused.html",
        {"title": refusal.title, "message": refusal.message, "provider_label": provider_label()},
        status=status,
    )


def _provider_unreachable(request):
    refusal = SignInRefused(
        f"{provider_label()} could not be reached. Try again in a few minutes.",
        title="Sorry, there is a problem with signing in",
    )
    return _refused(request, refusal, status=503)


@login_not_required
@require_safe
def callback(request):
    """The provider sends the person back here with a code: exchange and verify it, then sign in."""
    provider = current_provider()
    if provider == "local":
        raise Http404("No sign-in provider is set.")
    client = client_for(provider)
    try:
        if provider == Provider.HMPPS_AUTH:
            token = client.authorize_access_token(request)
            identity = hmpps_auth_identity(client, token)
        else:
            token = client.authorize_access_token(
                request, leeway=settings.SIGN_IN_LEEWAY_SECONDS, claims_options=_id_token_claims(client)
            )
            identity = entra_identity(token)
    except SignInRefused as refusal:
        return _refused(request, refusal)
    except (AuthlibBaseError, JoseError, ValueError, KeyError) as error:
        logger.warning("Sign-in refused: %s: %s", type(error).__name__, error)
        return _refused(request, SignInRefused(_explain(error)))
    except requests.RequestException:
        logger.exception("The sign-in provider could not be reached to finish a sign-in")
        return _provider_unreachable(request)

    user, refusal = record_sign_in(identity=identity)
    if refusal is not None:
        return _refused(request, refusal, status=403)
    next_url = request.session.pop(NEXT_KEY, "")
    login(request, user, backend=PROVIDER_BACKEND)
    request.session[PROVIDER_KEY] = provider
    if id_token := token.get("id_token"):
        request.session[ID_TOKEN_KEY] = id_token
    return redirect(_safe_next(request, next_url))


def _id_token_claims(client) -> dict:
    """The ID token must come from the provider's issuer and name this service among its audience."""
    return {
        "iss": {"essential": True, "value": client.load_server_metadata()["issuer"]},
        "aud": {"essential": True, "value": settings.ENTRA_CLIENT_ID},
    }


def _explain(error) -> str:
    """Plain words for why a provider's answer was not accepted (the details go to the log)."""
    name = type(error).__name__
    description = str(getattr(error, "description", "") or error)
    if name == "MismatchingStateError" or "state" in description.lower():
        return (
            "This sign-in link has already been used or has expired. Start again from the sign-in page: "
            "nothing has been lost."
        )
    if name == "ExpiredTokenError":
        return "The sign-in has expired. Start again from the sign-in page."
    if name in {"BadSignatureError", "InvalidKeyIdError", "MissingKeyError"}:
        return "The sign-in could not be checked: it was not signed by a key the identity provider publishes."
    if "'aud'" in description or "'azp'" in description:
        return "The sign-in was issued for another service, so it cannot be used here."
    if getattr(error, "error", "") == "access_denied":
        return "The sign-in was cancelled at the identity provider. Start again when you are ready."
    if getattr(error, "error", "") == "invalid_grant":
        return "This sign-in code has already been used or has expired. Start again from the sign-in page."
    return "The identity provider's answer could not be accepted. Start again from the sign-in page."


@login_not_required
@require_POST
def sign_out(request):
    """End the session here, then at the provider the person signed in with."""
    signed_in_by_provider = request.session.get(BACKEND_SESSION_KEY) == PROVIDER_BACKEND
    provider = request.session.get(PROVIDER_KEY) if signed_in_by_provider else None
    id_token = request.session.get(ID_TOKEN_KEY)
    logout(request)
    messages.success(request, "You have signed out.")
    back_here = request.build_absolute_uri(reverse("login"))
    if provider == Provider.HMPPS_AUTH:
        return redirect(hmpps_auth_sign_out_url(redirect_uri=back_here))
    if provider == Provider.ENTRA:
        try:
            end = client_for(provider).create_logout_url(
                post_logout_redirect_uri=back_here, id_token_hint=id_token, client_id=settings.ENTRA_CLIENT_ID
            )
            return redirect(end["url"])
        except (requests.RequestException, RuntimeError):
            logger.exception("The provider's sign-out address could not be found")
    return redirect("login")


@require_safe
def no_access_yet(request):
    """A signed-in person whom nobody has yet given a role and unit."""
    if has_access(request.user):
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request, "signin/no_access_yet.html", {"contact": settings.ACCESS_CONTACT, "administrators": access_givers()}
    )
