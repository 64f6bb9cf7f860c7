"""Signing in through HMPPS Auth and Entra ID, against a real OpenID provider process.

`oidc-provider` (run by node, tests/oidc_provider/server.mjs) plays HMPPS Auth (a JWT access
token with user_name and authorities, no ID token) and Entra ID (OpenID Connect with an ID
token). The tracker's own pages are driven by Django's test client, the provider's by
requests, so every token really is issued, signed and checked.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from recommendations.models import Role
from signin.models import ExternalIdentity
from tests.factories import PDUFactory
from tests.oidc_server import (
    ENTRA_ACCOUNTS,
    HMPPS_ACCOUNTS,
    TRACKER_ROLE,
    ProviderPages,
    ProviderProcess,
)

pytestmark = pytest.mark.django_db


def _provider_process(mode: str, accounts: dict, tmp_path_factory):
    provider = ProviderProcess(
        mode=mode,
        app_urls=["http://testserver"],
        accounts={k: dict(v) for k, v in accounts.items()},
        workdir=tmp_path_factory.mktemp(mode),
    )
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def hmpps_auth(tmp_path_factory):
    yield from _provider_process("hmpps", HMPPS_ACCOUNTS, tmp_path_factory)


@pytest.fixture(scope="module")
def entra(tmp_path_factory):
    yield from _provider_process("oidc", ENTRA_ACCOUNTS, tmp_path_factory)


@pytest.fixture
def with_hmpps_auth(hmpps_auth, settings):
    hmpps_auth.settings_for(settings)
    hmpps_auth.set_account("asmith", authorities=[TRACKER_ROLE, "ROLE_PROBATION"])
    return hmpps_auth


@pytest.fixture
def with_entra(entra, settings):
    entra.settings_for(settings)
    return entra


def sign_in(client, login: str, pages: ProviderPages | None = None):
    """Start at the tracker, through the provider's pages, back to the tracker's callback."""
    pages = pages or ProviderPages()
    start = client.get(reverse("signin:start"))
    assert start.status_code == 302
    callback_url = pages.follow(start["Location"], login=login)
    return client.get(ProviderPages.path_of(callback_url)), callback_url


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_first_hmpps_auth_sign_in_creates_a_user_with_no_access_who_is_told_who_can_give_it(
    client, with_hmpps_auth, settings
):
    settings.ACCESS_CONTACT = "Email the national performance team at performance@justice.example."
    response, _ = sign_in(client, "asmith")
    assert response.status_code == 302
    identity = ExternalIdentity.objects.select_related("user").get(provider="hmpps-auth")
    # Matched on HMPPS Auth's user_id, never on the username.
    assert identity.subject == "482913"
    assert identity.provider_username == "ASMITH_GEN"
    assert identity.auth_source == "auth"
    assert TRACKER_ROLE in identity.provider_roles
    user = identity.user
    assert (user.first_name, user.last_name, user.role, user.unit) == ("Ann", "Smith", "", None)
    assert not user.has_usable_password()

    page = client.get(reverse("recommendations:home"), follow=True)
    assert page.redirect_chain[-1][0] == reverse("signin:no_access")
    text = page.content.decode()
    assert "You do not have access yet" in text
    assert "performance@justice.example" in text


def test_a_renamed_hmpps_auth_user_is_still_the_same_tracker_user(client, with_hmpps_auth):
    sign_in(client, "asmith")
    first = ExternalIdentity.objects.get(provider="hmpps-auth").user
    client.logout()
    with_hmpps_auth.set_account("asmith", user_name="ASMITH2_GEN", name="Ann Smith-Khan")
    try:
        sign_in(client, "asmith")
    finally:
        with_hmpps_auth.set_account("asmith", user_name="ASMITH_GEN", name="Ann Smith")
    assert ExternalIdentity.objects.count() == 1
    again = ExternalIdentity.objects.get(provider="hmpps-auth")
    assert again.user_id == first.pk
    assert again.provider_username == "ASMITH2_GEN"
    assert again.user.last_name == "Smith-Khan"


def test_an_assigned_unit_gives_access_and_a_removed_hmpps_role_takes_it_away_at_next_sign_in(client, with_hmpps_auth):
    sign_in(client, "asmith")
    user = ExternalIdentity.objects.get(provider="hmpps-auth").user
    user.unit, user.role = PDUFactory(name="Derby City PDU"), Role.PDU_LEADER
    user.save()
    assert client.get(reverse("recommendations:home")).status_code == 200

    client.logout()
    with_hmpps_auth.set_account("asmith", authorities=["ROLE_PROBATION"])
    response, _ = sign_in(client, "asmith", ProviderPages())
    assert response.status_code == 403
    assert "You do not have access to this service" in response.content.decode()
    assert not signed_in(client)


def test_someone_without_the_service_role_at_hmpps_auth_is_refused_and_not_created(client, with_hmpps_auth):
    response, _ = sign_in(client, "bjones")
    assert response.status_code == 403
    assert "does not have the role" in response.content.decode()
    assert not signed_in(client)
    assert not ExternalIdentity.objects.exists()


def test_a_provider_role_mapped_to_a_tracker_role_is_given_and_taken_away_with_it(client, with_hmpps_auth, settings):
    settings.SIGN_IN_ROLE_MAP = {"ROLE_ACTION_PLAN_NATIONAL": Role.NATIONAL_VIEWER}
    with_hmpps_auth.set_account("asmith", authorities=[TRACKER_ROLE, "ROLE_ACTION_PLAN_NATIONAL"])
    sign_in(client, "asmith")
    user = ExternalIdentity.objects.get(provider="hmpps-auth").user
    assert user.role == Role.NATIONAL_VIEWER
    assert client.get(reverse("recommendations:home")).status_code == 200

    client.logout()
    with_hmpps_auth.set_account("asmith", authorities=[TRACKER_ROLE])
    sign_in(client, "asmith", ProviderPages())
    user.refresh_from_db()
    assert user.role == ""
    assert client.get(reverse("recommendations:home"))["Location"] == reverse("signin:no_access")


def test_sign_out_ends_the_session_and_goes_to_hmpps_auth_sign_out(client, with_hmpps_auth, settings):
    sign_in(client, "asmith")
    assert signed_in(client)
    response = client.post(reverse("logout"))
    assert not signed_in(client)
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{settings.HMPPS_AUTH_URL}/sign-out"
    assert parse_qs(location.query) == {
        "client_id": [settings.HMPPS_AUTH_CLIENT_ID],
        "redirect_uri": ["http://testserver/sign-in/"],
    }


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("unknown-key", "not signed by a key the identity provider publishes"),
        ("expired", "The sign-in has expired"),
        ("wrong-audience", "issued for another service"),
    ],
)
def test_a_bad_hmpps_auth_access_token_is_refused_with_a_clear_page_and_no_session(
    client, with_hmpps_auth, tamper, reason
):
    with_hmpps_auth.tamper_with_next_token(tamper)
    response, _ = sign_in(client, "asmith")
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not signed_in(client)
    assert not client.session.session_key
    assert not ExternalIdentity.objects.exists()


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("unknown-key", "not signed by a key the identity provider publishes"),
        ("expired", "The sign-in has expired"),
        ("wrong-audience", "issued for another service"),
    ],
)
def test_a_bad_entra_id_token_is_refused_with_a_clear_page_and_no_session(client, with_entra, tamper, reason):
    with_entra.tamper_with_next_token(tamper)
    response, _ = sign_in(client, "cdavies")
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not signed_in(client)
    assert not ExternalIdentity.objects.exists()


def test_a_wrong_state_is_refused(client, with_entra):
    start = client.get(reverse("signin:start"))
    callback_url = ProviderPages().follow(start["Location"], login="cdavies")
    parts = urlsplit(callback_url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query["state"] = "forged-state"
    response = client.get(parts.path, query)
    assert response.status_code == 400
    assert "already been used or has expired" in response.content.decode()
    assert not signed_in(client)


def test_a_replayed_code_is_refused(client, with_entra):
    pages = ProviderPages()
    response, callback_url = sign_in(client, "cdavies", pages)
    assert response.status_code == 302
    client.logout()
    # The same code again, in a new sign-in whose state it is given: the provider refuses it.
    start = client.get(reverse("signin:start"))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    code = parse_qs(urlsplit(callback_url).query)["code"][0]
    replay = client.get(reverse("signin:callback"), {"code": code, "state": state})
    assert replay.status_code == 400
    assert "already been used or has expired" in replay.content.decode()
    assert not signed_in(client)
    # And the callback address itself, a second time: its state is spent.
    again = client.get(ProviderPages.path_of(callback_url))
    assert again.status_code == 400
    assert not signed_in(client)


def test_entra_id_sign_in_matches_on_oid_and_keys_rotated_at_the_provider_are_picked_up(client, with_entra):
    response, _ = sign_in(client, "cdavies")
    assert response.status_code == 302
    identity = ExternalIdentity.objects.select_related("user").get(provider="entra")
    assert identity.subject == ENTRA_ACCOUNTS["cdavies"]["oid"]
    assert identity.user.email == "carys.davies@justice.example"
    assert identity.user.username == "carys.davies@justice.example"
    client.logout()

    new_keys = with_entra.rotate_keys()
    assert len(new_keys["keys"]) == 2
    response, _ = sign_in(client, "cdavies", ProviderPages())
    assert response.status_code == 302
    assert signed_in(client)
    assert ExternalIdentity.objects.count() == 1


def test_entra_id_sign_out_goes_to_the_providers_end_session_endpoint(client, with_entra, settings):
    sign_in(client, "cdavies")
    response = client.post(reverse("logout"))
    assert not signed_in(client)
    location = urlsplit(response["Location"])
    assert response["Location"].startswith(f"{settings.ENTRA_ISSUER_URL}/session/end?")
    query = parse_qs(location.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/sign-in/"]
    assert query["client_id"] == [settings.ENTRA_CLIENT_ID]
    assert "id_token_hint" in query


def test_hmpps_auth_keys_rotated_at_the_provider_are_picked_up_without_a_restart(client, with_hmpps_auth):
    assert sign_in(client, "asmith")[0].status_code == 302
    client.logout()
    with_hmpps_auth.rotate_keys()
    response, _ = sign_in(client, "asmith", ProviderPages())
    assert response.status_code == 302
    assert signed_in(client)


def test_deactivating_someone_who_signed_in_through_a_provider_ends_their_session_at_once(client, with_hmpps_auth):
    sign_in(client, "asmith")
    user = ExternalIdentity.objects.get(provider="hmpps-auth").user
    user.unit, user.role = PDUFactory(), Role.PDU_LEADER
    user.save()
    assert client.get(reverse("recommendations:home")).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(reverse("recommendations:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    # And the provider cannot sign them back in.
    again, _ = sign_in(client, "asmith", ProviderPages())
    assert again.status_code == 403
    assert "deactivated" in again.content.decode()
    assert not signed_in(client)
