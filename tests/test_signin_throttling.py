"""Sign-in throttling: repeated failures lock a username from one address, for a cool-off only."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HOME = "/"
ATTACKER = "203.0.113.7"
COLLEAGUE = "198.51.100.20"
START = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def axes_on(settings):
    # tests/conftest.py turns axes off for every other test; these need it, as configured.
    settings.AXES_ENABLED = True
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == 0.25  # hours: 15 minutes
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    return settings


def _attempt(client, username, password, address, **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def _fail(client, username, address, times, **headers):
    return [_attempt(client, username, "not-the-password", address, **headers) for _ in range(times)]


def _signed_in(client):
    return client.get(HOME).status_code == 200


def test_failures_below_the_limit_still_allow_the_right_password(client, axes_on):
    UserFactory(username="derbycity.lead")
    responses = _fail(client, "derbycity.lead", ATTACKER, 4)
    assert all(r.status_code == 200 for r in responses)
    assert "Enter a correct username and password" in responses[-1].content.decode()
    assert _attempt(client, "derbycity.lead", TEST_PASSWORD, ATTACKER).status_code == 302
    assert _signed_in(client)


def test_the_fifth_failure_locks_the_username_from_that_address_with_a_clear_page(client, axes_on):
    UserFactory(username="derbycity.lead")
    responses = _fail(client, "derbycity.lead", ATTACKER, 5)
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    html = responses[-1].content.decode()
    assert "<title>Sign in is locked – Inspection action plan tracker – GOV.UK</title>" in html
    assert "There have been 5 unsuccessful attempts to sign in as <strong>derbycity.lead</strong>" in html
    assert "You can try again in 15 minutes." in html
    assert "ask your administrator to reset it" in html
    assert "not-the-password" not in html


def test_the_right_password_is_refused_during_the_lockout(client, axes_on):
    UserFactory(username="derbycity.lead")
    _fail(client, "derbycity.lead", ATTACKER, 5)
    response = _attempt(client, "derbycity.lead", TEST_PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "Sign in is locked" in response.content.decode()
    assert not _signed_in(client)


def test_after_the_cool_off_the_user_can_sign_in_again(client, axes_on):
    """Fifteen minutes from the failure that locked it, however often someone tried meanwhile."""
    UserFactory(username="derbycity.lead")
    with time_machine.travel(START, tick=False) as clock:
        _fail(client, "derbycity.lead", ATTACKER, 5)
        for _ in range(14):
            clock.shift(dt.timedelta(minutes=1))
            assert _attempt(client, "derbycity.lead", TEST_PASSWORD, ATTACKER).status_code == 429
        clock.shift(dt.timedelta(minutes=1, seconds=5))
        assert _attempt(client, "derbycity.lead", TEST_PASSWORD, ATTACKER).status_code == 302
        assert _signed_in(client)


def test_the_same_username_from_another_address_is_not_locked(client, axes_on):
    """An attacker who knows a username cannot lock its owner out from everywhere."""
    UserFactory(username="derbycity.lead")
    _fail(client, "derbycity.lead", ATTACKER, 20)
    assert _attempt(client, "derbycity.lead", TEST_PASSWORD, COLLEAGUE).status_code == 302
    assert _signed_in(client)


def test_other_usernames_from_the_locked_address_are_not_locked(client, axes_on):
    UserFactory(username="derbycity.lead")
    UserFactory(username="llr.lead")
    _fail(client, "derbycity.lead", ATTACKER, 5)
    assert _attempt(client, "llr.lead", TEST_PASSWORD, ATTACKER).status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, axes_on):
    UserFactory(username="derbycity.lead")
    for n in range(5):
        _attempt(client, "derbycity.lead", "guess", ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = _attempt(client, "derbycity.lead", TEST_PASSWORD, ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_unknown_usernames_are_throttled_the_same_way(client, axes_on):
    """Locking out only real accounts would tell an attacker which usernames exist."""
    UserFactory(username="derbycity.lead")
    known = _fail(client, "derbycity.lead", ATTACKER, 5)
    unknown = _fail(client, "no.such.person", ATTACKER, 5)
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    for with_account, without in [(known[0], unknown[0]), (known[-1], unknown[-1])]:
        assert _comparable(with_account, "derbycity.lead") == _comparable(without, "no.such.person")


def _comparable(response, username):
    """The page without what differs on every request anyway: the nonce and the CSRF token."""
    html = response.content.decode().replace(username, "USERNAME")
    html = re.sub(r'nonce="[^"]+"', 'nonce=""', html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_successful_sign_in_resets_the_count(client, axes_on):
    UserFactory(username="derbycity.lead")
    _fail(client, "derbycity.lead", ATTACKER, 4)
    assert _attempt(client, "derbycity.lead", TEST_PASSWORD, ATTACKER).status_code == 302
    client.post(reverse("logout"))
    responses = _fail(client, "derbycity.lead", ATTACKER, 4)
    assert all(r.status_code == 200 for r in responses)
