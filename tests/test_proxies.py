"""Forwarded headers are honoured only from the proxies the deployment declares.

TRUSTED_PROXY_COUNT decides whether X-Forwarded-For and X-Forwarded-Proto count and
which hop is the client; sign-in throttling locks the client's address, not the load
balancer's.
"""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory
from tests.test_settings import _setting
from tracker.proxies import client_address

pytestmark = pytest.mark.django_db

BALANCER = "10.0.0.5"
CLIENT = "203.0.113.9"
COLLEAGUE = "198.51.100.20"


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, f"{CLIENT}", BALANCER),  # no proxy declared: the header is the client's own word
        (1, f"{CLIENT}", CLIENT),
        (1, f"6.6.6.6, {CLIENT}", CLIENT),  # what the client wrote before the proxy's entry is ignored
        (2, f"6.6.6.6, {CLIENT}, 10.1.1.1", CLIENT),
        (2, f"{CLIENT}", BALANCER),  # fewer hops than proxies: only the peer is vouched for
        (1, "not-an-address", BALANCER),
        (1, "", BALANCER),
    ],
)
def test_the_client_is_the_hop_the_trusted_proxies_name(settings, count, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address({"REMOTE_ADDR": BALANCER, "HTTP_X_FORWARDED_FOR": forwarded_for}) == expected


def test_forwarded_proto_is_honoured_only_behind_a_declared_proxy():
    assert _setting({"TRUSTED_PROXY_COUNT": "1"}, "settings.SECURE_PROXY_SSL_HEADER") == str(
        ("HTTP_X_FORWARDED_PROTO", "https")
    )
    assert _setting({}, "settings.SECURE_PROXY_SSL_HEADER") == "None"
    request = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https")
    assert request.is_secure() is False


def _attempt(client, password, client_ip):
    return client.post(
        reverse("login"),
        {"username": "derbycity.lead", "password": password},
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR=f"192.0.2.1, {client_ip}",
    )


def test_behind_a_load_balancer_an_attacker_locks_out_only_their_own_address(client, settings):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="derbycity.lead")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "guess", CLIENT)
    assert _attempt(client, TEST_PASSWORD, CLIENT).status_code == 429
    # The real user, behind the same load balancer, still signs in.
    assert _attempt(client.__class__(), TEST_PASSWORD, COLLEAGUE).status_code == 302
