"""Signing in and out, and the pages anyone may reach."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_sign_in_from_every_page(client):
    response = client.get(reverse("recommendations:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_sign_in_page_has_unique_title_and_one_h1(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Sign in – Inspection action plan tracker – GOV.UK</title>" in html
    assert html.count("<h1") == 1


def test_wrong_password_shows_error_summary_and_keeps_username(client):
    UserFactory(username="derbycity.lead")
    response = client.post(reverse("login"), {"username": "derbycity.lead", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter a correct username and password" in html
    assert 'value="derbycity.lead"' in html
    assert "<title>Error: Sign in" in html
    assert "wrong" not in html  # the password is never echoed back


def test_empty_sign_in_names_each_missing_field(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    html = response.content.decode()
    assert "Enter your username" in html
    assert "Enter your password" in html
    assert 'href="#id_username"' in html


def test_sign_in_goes_to_my_work_and_shows_name_and_sign_out(client):
    UserFactory(username="llr.lead", first_name="Ada", last_name="Lovelace")
    response = client.post(reverse("login"), {"username": "llr.lead", "password": TEST_PASSWORD}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("recommendations:home")
    assert "Signed in as <strong>Ada Lovelace</strong>" in html
    assert f'action="{reverse("logout")}"' in html


def test_timed_out_session_says_so_on_sign_in(client):
    response = client.get(reverse("login") + "?timed_out=1")
    assert "You have been signed out to keep your information secure" in response.content.decode()


def test_sign_out_is_a_post_and_confirms(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"), follow=True)
    assert "You have signed out." in response.content.decode()
    assert client.get(reverse("recommendations:home")).status_code == 302


def test_idle_session_is_ended_with_timed_out_flag(client, settings):
    import time_machine

    settings.SESSION_IDLE_TIMEOUT = 60
    user = UserFactory()
    with time_machine.travel("2026-06-01 09:00", tick=False):
        client.force_login(user)
        assert client.get(reverse("recommendations:home")).status_code == 200
    with time_machine.travel("2026-06-01 09:05", tick=False):
        response = client.get(reverse("recommendations:home"))
    assert response.status_code == 302
    assert "timed_out=1" in response["Location"]


def test_lockout_page_after_repeated_failures(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="target")
    for _ in range(2):
        client.post(reverse("login"), {"username": "target", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    response = client.post(reverse("login"), {"username": "target", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.1")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Sign in is locked" in html
    assert "15 minutes" in html


def test_accessibility_statement_is_public_and_linked_from_footer(client):
    response = client.get(reverse("recommendations:accessibility"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Accessibility statement – Inspection action plan tracker – GOV.UK</title>" in html
    login_page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("recommendations:accessibility")}"' in login_page
