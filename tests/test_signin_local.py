"""Passwords once a provider is set (break-glass administrators only), the "no access yet" page,
the admin's filter of people waiting, and the sign-in settings checks."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.checks import run_checks
from django.urls import reverse

from recommendations.models import Role
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hmpps_auth_set(settings):
    settings.SIGN_IN_PROVIDER = "hmpps-auth"
    settings.HMPPS_AUTH_URL = "https://sign-in-dev.hmpps.example/auth"
    settings.HMPPS_AUTH_CLIENT_ID = "tracker"
    settings.HMPPS_AUTH_CLIENT_SECRET = "secret"
    settings.BREAK_GLASS_USERNAMES = ["glass.admin"]
    return settings


def test_with_a_provider_the_sign_in_page_offers_it_and_no_password_form(client, hmpps_auth_set):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with HMPPS Auth" in page
    assert f'href="{reverse("signin:start")}"' in page
    assert 'type="password"' not in page
    assert f'href="{reverse("signin:password")}"' in page


def test_with_a_provider_only_a_named_break_glass_administrator_signs_in_with_a_password(client, hmpps_auth_set):
    UserFactory(username="derby.lead")
    UserFactory(username="glass.admin", role=Role.ADMINISTRATOR, unit=None)
    refused = client.post(reverse("signin:password"), {"username": "derby.lead", "password": TEST_PASSWORD})
    assert refused.status_code == 200
    assert "Enter a correct username and password" in refused.content.decode()
    assert SESSION_KEY not in client.session

    client.post(reverse("signin:password"), {"username": "glass.admin", "password": TEST_PASSWORD})
    assert SESSION_KEY in client.session


def test_a_named_break_glass_user_who_is_not_an_administrator_is_refused(client, hmpps_auth_set):
    UserFactory(username="glass.admin", role=Role.PDU_LEADER)
    client.post(reverse("signin:password"), {"username": "glass.admin", "password": TEST_PASSWORD})
    assert SESSION_KEY not in client.session


def test_with_a_provider_and_no_break_glass_administrators_there_is_no_password_sign_in(client, hmpps_auth_set):
    hmpps_auth_set.BREAK_GLASS_USERNAMES = []
    assert client.get(reverse("signin:password")).status_code == 404
    assert f'href="{reverse("signin:password")}"' not in client.get(reverse("login")).content.decode()


def test_the_django_admin_sign_in_also_refuses_passwords_once_a_provider_is_set(client, hmpps_auth_set):
    UserFactory(username="staff.admin", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True, unit=None)
    client.post("/admin/login/", {"username": "staff.admin", "password": TEST_PASSWORD})
    assert SESSION_KEY not in client.session


def test_locally_the_demo_users_still_sign_in_with_their_passwords(client):
    UserFactory(username="derby.lead")
    client.post(reverse("login"), {"username": "derby.lead", "password": TEST_PASSWORD})
    assert SESSION_KEY in client.session


def test_someone_without_a_role_sees_who_can_give_access_on_every_page(client):
    UserFactory(username="root", role=Role.ADMINISTRATOR, unit=None, first_name="Priya", last_name="Shah")
    waiting = UserFactory(username="new.person", role="", unit=None)
    client.force_login(waiting)
    response = client.get(reverse("recommendations:action_plan"))
    assert response["Location"] == reverse("signin:no_access")
    page = client.get(reverse("signin:no_access")).content.decode()
    assert "You do not have access yet" in page
    assert "Priya Shah" in page
    assert "mailto:root@justice.example" in page
    # Signing out still works.
    assert client.post(reverse("logout")).status_code == 302
    assert SESSION_KEY not in client.session


def test_a_pdu_leader_without_a_unit_has_no_access_yet(client):
    client.force_login(UserFactory(username="unitless", role=Role.PDU_LEADER, unit=None))
    assert client.get(reverse("recommendations:home"))["Location"] == reverse("signin:no_access")


def test_the_admin_lists_the_people_waiting_for_access(admin_client):
    UserFactory(username="waiting.one", role="", unit=None)
    UserFactory(username="has.access")
    UserFactory(username="gone.away", role="", unit=None, is_active=False)
    page = admin_client.get(reverse("admin:recommendations_user_changelist"), {"access": "waiting"}).content.decode()
    assert "waiting.one" in page
    assert "has.access" not in page
    assert "gone.away" not in page


def test_a_provider_without_its_settings_fails_the_checks(settings):
    settings.SIGN_IN_PROVIDER = "entra"
    settings.ENTRA_ISSUER_URL = ""
    settings.ENTRA_CLIENT_ID = "tracker"
    settings.ENTRA_CLIENT_SECRET = ""
    settings.SIGN_IN_ROLE_MAP = {"Tracker.National": "emperor"}
    ids = {message.id for message in run_checks()}
    assert {"signin.E001", "signin.E002"} <= ids


def test_a_provider_that_cannot_be_reached_gets_a_clear_page_and_no_session(client, settings):
    from tests.processes import refused_port

    settings.SIGN_IN_PROVIDER = "entra"
    settings.ENTRA_CLIENT_ID, settings.ENTRA_CLIENT_SECRET = "tracker", "secret"
    with refused_port() as nowhere:
        settings.ENTRA_ISSUER_URL = f"http://127.0.0.1:{nowhere}"  # nothing listens there
        response = client.get(reverse("signin:start"))
    assert response.status_code == 503
    assert "Microsoft Entra ID could not be reached" in response.content.decode()
    assert SESSION_KEY not in client.session
