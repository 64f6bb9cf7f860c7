"""Security headers on every kind of page: CSP with a nonce, HSTS, framing, referrer, features, sniffing."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.production_settings import apply_production_settings

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>")


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory())
    return client


def _pages(client):
    """Public pages, a signed-in page, an error page and an admin page."""
    from django.test import Client

    anonymous = Client()
    return {
        "sign in": anonymous.get(reverse("login")),
        "accessibility": anonymous.get(reverse("recommendations:accessibility")),
        "home": client.get(reverse("recommendations:home")),
        "not found": client.get("/no-such-page/"),
        "admin sign in": anonymous.get("/admin/login/"),
    }


def test_every_page_has_a_strict_content_security_policy(signed_in):
    for name, response in _pages(signed_in).items():
        csp = _csp(response)
        assert csp["default-src"] == ["'self'"], name
        scripts = csp["script-src"]
        assert "'self'" in scripts, name
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, name
        if INLINE_SCRIPT.search(response.content.decode()):
            assert [s for s in scripts if s.startswith("'nonce-")], f"{name}: no nonce in script-src"
        assert "'unsafe-inline'" not in csp["style-src"], name
        assert csp["object-src"] == ["'none'"], name
        assert csp["frame-ancestors"] == ["'none'"], name
        assert csp["base-uri"] == ["'self'"], name
        assert csp["form-action"] == ["'self'"], name


@pytest.mark.parametrize("page", ["sign in", "home", "accessibility"])
def test_the_only_inline_script_carries_this_responses_nonce(signed_in, page):
    response = _pages(signed_in)[page]
    html = response.content.decode()
    nonce = next(s for s in _csp(response)["script-src"] if s.startswith("'nonce-"))[len("'nonce-") : -1]
    inline_scripts = INLINE_SCRIPT.findall(html)
    assert len(inline_scripts) == 1, f"{page}: expected GOV.UK's one inline script, found {inline_scripts}"
    assert f'nonce="{nonce}"' in inline_scripts[0]
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), f"{page}: inline event handler"
    assert "javascript:" not in html.lower()


def test_the_nonce_is_new_on_every_response(client):
    first = _csp(client.get(reverse("login")))["script-src"]
    second = _csp(client.get(reverse("login")))["script-src"]
    assert first != second


def test_framing_referrer_features_and_sniffing_are_locked_down(signed_in):
    for name, response in _pages(signed_in).items():
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
            assert feature in policy, f"{name}: {feature}"


def test_signed_in_pages_are_never_cached(signed_in):
    response = signed_in.get(reverse("recommendations:home"))
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_production_sends_strict_transport_security(client, settings):
    values = apply_production_settings(settings)
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    response = client.get(reverse("login"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"


def test_development_sends_no_strict_transport_security(client):
    """HSTS on localhost would pin a developer's browser to HTTPS; it is for production only."""
    assert "Strict-Transport-Security" not in client.get(reverse("login"), secure=True)
