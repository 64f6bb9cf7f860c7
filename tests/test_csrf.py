"""Every form of the service refuses a POST without its CSRF token, or with a made-up one.

Django's CsrfViewMiddleware checks the hidden `csrfmiddlewaretoken` field of every form
(and the CSRF cookie). Web scanners that look for other field names report these forms
as lacking a token (see the README's security section); this test is the evidence that
they do not. The URLs and who may POST to each come from the authorisation matrix.
"""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.test_authorisation_matrix import EXPECTED, ROLES, _codes, build_world

pytestmark = pytest.mark.django_db


def _a_role_that_may_post(post_codes: str):
    """A signed-in role the matrix lets POST here (the form, or on to the next page); else anonymous if it may."""
    codes = _codes(post_codes)
    for role in ROLES[1:]:
        if codes[role] in (200, 302):
            return role
    return "anonymous" if codes["anonymous"] == 200 else None


def test_every_form_refuses_a_post_without_a_valid_csrf_token():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        world = build_world()
    accepted, checked = [], 0
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        for url_name, (arguments, _, post_codes) in sorted(EXPECTED.items()):
            role = _a_role_that_may_post(post_codes)
            if role is None:
                continue
            url = reverse(url_name, kwargs=arguments(world))
            client = Client(enforce_csrf_checks=True)
            client.get(reverse("login"))  # the sign-in form sets the CSRF cookie, as a browser would have it
            assert client.cookies["csrftoken"].value
            if role != "anonymous":
                client.force_login(world.users[role])
            for data in ({}, {"csrfmiddlewaretoken": "wapiti"}):
                response = client.post(url, data)
                if response.status_code != 403:
                    accepted.append(f"POST {url} as {role} with {data or 'no token'}: {response.status_code}")
            checked += 1
    assert checked > 25
    assert not accepted, "\n".join(accepted)
