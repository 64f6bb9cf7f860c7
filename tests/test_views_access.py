"""Who reaches which page: every role × every page and form, for GET and POST.

404 when the object is outside the user's scope, 403 when the user can see it but not
change it (on the form's GET as on its POST), a redirect to sign in when anonymous.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.web_world import build_world

pytestmark = pytest.mark.django_db

ROLES = ["leader", "other_leader", "director", "viewer", "national_editor", "anonymous"]

# What each page needs: "view" (scope only), "edit" (can_edit_action), "manage"
# (can_manage_plan) or "verify" (can_verify); and which object of the world it is about.
READ_PAGES = [
    ("recommendations:inspection_detail", "inspection", "view"),
    ("recommendations:recommendation_detail", "recommendation", "view"),
    ("recommendations:action_detail", "action", "view"),
    ("recommendations:evidence_download", "evidence", "view"),
]
FORM_PAGES = [
    ("recommendations:recommendation_response", "recommendation", "manage"),
    ("recommendations:action_create", "recommendation", "manage"),
    ("recommendations:action_log_progress", "action", "edit"),
    ("recommendations:evidence_add", "action", "edit"),
    ("recommendations:action_complete", "action", "edit"),
    ("recommendations:evidence_withdraw", "evidence", "edit"),
    ("recommendations:action_revise_due_date", "action", "manage"),
    ("recommendations:action_edit", "action", "manage"),
    ("recommendations:action_verify", "action", "verify"),
    ("recommendations:action_return", "action", "verify"),
]

# For the plan of the PDU itself (a recommendation addressed to Derby City PDU).
PDU_PLAN = {
    "leader": {"view": 200, "edit": 200, "manage": 403, "verify": 403},
    "other_leader": {"view": 404, "edit": 404, "manage": 404, "verify": 404},
    "director": {"view": 200, "edit": 200, "manage": 200, "verify": 200},
    "viewer": {"view": 200, "edit": 403, "manage": 403, "verify": 403},
    # The national team may verify any action it neither owns nor completed, so that an action
    # always has someone other than its owner and completer to verify it.
    "national_editor": {"view": 200, "edit": 403, "manage": 403, "verify": 200},
}
# For a recommendation from the same inspection addressed to HMPPS, owned nationally.
NATIONAL_PLAN = {
    "leader": {"view": 200, "edit": 403, "manage": 403, "verify": 403},
    "other_leader": {"view": 404, "edit": 404, "manage": 404, "verify": 404},
    "director": {"view": 200, "edit": 403, "manage": 403, "verify": 200},
    "viewer": {"view": 200, "edit": 403, "manage": 403, "verify": 403},
    "national_editor": {"view": 200, "edit": 200, "manage": 200, "verify": 403},
}
NATIONAL_OBJECTS = {
    "inspection": "inspection",
    "recommendation": "national_recommendation",
    "action": "national_action",
    "evidence": "national_evidence",
}


@pytest.fixture
def world():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        yield build_world()


def _client_for(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def _cases(pages, plan_name):
    for url_name, obj, need in pages:
        for role in ROLES:
            yield pytest.param(url_name, obj, need, role, plan_name, id=f"{plan_name}-{url_name.split(':')[1]}-{role}")


def _expected(role, need, plan_name):
    if role == "anonymous":
        return 302
    plan = PDU_PLAN if plan_name == "pdu" else NATIONAL_PLAN
    return plan[role][need]


def _url(world, url_name, obj, plan_name):
    name = obj if plan_name == "pdu" else NATIONAL_OBJECTS[obj]
    return reverse(url_name, args=[getattr(world, name).pk])


@pytest.mark.parametrize(
    ("url_name", "obj", "need", "role", "plan_name"),
    [*_cases(READ_PAGES, "pdu"), *_cases(READ_PAGES, "national")],
)
def test_read_pages(client, world, url_name, obj, need, role, plan_name):
    url = _url(world, url_name, obj, plan_name)
    response = _client_for(client, world, role).get(url)
    assert response.status_code == _expected(role, need, plan_name)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(
    ("url_name", "obj", "need", "role", "plan_name"),
    [*_cases(FORM_PAGES, "pdu"), *_cases(FORM_PAGES, "national")],
)
def test_form_pages_get_and_post(client, world, url_name, obj, need, role, plan_name):
    url = _url(world, url_name, obj, plan_name)
    client = _client_for(client, world, role)
    expected = _expected(role, need, plan_name)
    assert client.get(url).status_code == expected
    # An empty POST: refused by access rules before any validation, or shown back with errors.
    response = client.post(url, {})
    assert response.status_code == expected
    if expected == 200:
        assert "govuk-error-summary" in response.content.decode()


def test_read_only_user_sees_no_change_links(client, world):
    client.force_login(world.viewer)
    html = client.get(reverse("recommendations:action_detail", args=[world.action.pk])).content.decode()
    assert reverse("recommendations:action_log_progress", args=[world.action.pk]) not in html
    assert reverse("recommendations:evidence_withdraw", args=[world.evidence.pk]) not in html
    html = client.get(reverse("recommendations:recommendation_detail", args=[world.recommendation.pk])).content.decode()
    assert reverse("recommendations:action_create", args=[world.recommendation.pk]) not in html


def test_forbidden_page_explains_itself(client, world):
    client.force_login(world.viewer)
    response = client.get(reverse("recommendations:action_log_progress", args=[world.action.pk]))
    assert response.status_code == 403
    assert "You cannot change this" in response.content.decode()
