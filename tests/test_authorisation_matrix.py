"""The authorisation matrix: every URL of the service × every role, for GET and POST.

The URLs are read from the URL configuration itself (admin and static files aside), so
a new page cannot escape this test: `test_every_url_has_an_entry` fails until the new
URL name has a row in EXPECTED below. Each row says what every role gets:

    200  the page (or, for a form POSTed empty, the form again with its errors)
    302  sent to sign in (anonymous), or on to somewhere else (see the row's comment)
    403  can see the object but not do this
    404  the object is outside the user's scope, so it does not exist for them
    405  the page does not accept that method (read-only pages refuse POST)

Everything belongs to Derby City PDU ("own" unit) in East Midlands ("own" region):
the other PDU leader leads Derbyshire PDU in the same region; the other director leads
Wales. Evidence files and exports of Derby City are among the URLs, so reaching
another unit's files or exports is tested like any page.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from recommendations import challenges, due_date_proposals
from recommendations.models import ActionStatus, Evidence, EvidenceKind, Role
from reporting.models import Measure
from reporting.services import issue_calendar_feed
from tests.factories import (
    ActionFactory,
    DirectorFactory,
    InspectionFactory,
    LinkEvidenceFactory,
    NationalUnitFactory,
    NationalViewerFactory,
    PDUFactory,
    RecommendationFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "own_pdu_leader",
    "other_pdu_leader",
    "own_director",
    "other_director",
    "national_viewer",
    "national_editor",
    "administrator",
)
# Shorthands for rows where every signed-in role gets the same.
SIGNED_IN_ONLY = "302 200 200 200 200 200 200 200"
READ_ONLY_POST = "302 405 405 405 405 405 405 405"
PUBLIC = "200 200 200 200 200 200 200 200"
PUBLIC_READ_ONLY_POST = "405 405 405 405 405 405 405 405"
ADMINISTRATORS_ONLY = "302 403 403 403 403 403 403 200"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def build_world():
    hmpps = NationalUnitFactory()
    east_midlands = RegionFactory(name="Probation Service – East Midlands", slug="east-midlands", parent=hmpps)
    wales = RegionFactory(name="Probation Service – Wales", slug="wales", parent=hmpps)
    derby = PDUFactory(name="Derby City PDU", slug="derby-city", parent=east_midlands)
    derbyshire = PDUFactory(name="Derbyshire PDU", slug="derbyshire", parent=east_midlands)
    PDUFactory(name="Cardiff PDU", slug="cardiff", parent=wales)
    users = {
        "own_pdu_leader": UserFactory(username="derby.lead", unit=derby),
        "other_pdu_leader": UserFactory(username="derbyshire.lead", unit=derbyshire),
        "own_director": DirectorFactory(username="em.director", unit=east_midlands),
        "other_director": DirectorFactory(username="wales.director", unit=wales),
        "national_viewer": NationalViewerFactory(username="hmpps.viewer", unit=hmpps),
        "national_editor": NationalViewerFactory(username="hmpps.editor", unit=hmpps, can_edit_national_actions=True),
        "administrator": UserFactory(
            username="admin", unit=None, role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True
        ),
    }
    inspection = InspectionFactory(unit=derby)
    recommendation = RecommendationFactory(inspection=inspection, number=1, addressed_to=derby)
    action = ActionFactory(
        recommendation=recommendation, unit=derby, owner=users["own_pdu_leader"], status=ActionStatus.IN_PROGRESS
    )
    evidence = Evidence(
        action=action,
        kind=EvidenceKind.FILE,
        title="Case audit",
        original_filename="audit.pdf",
        size=len(PDF),
        content_type="application/pdf",
        added_by=users["own_pdu_leader"],
        added_at=timezone.now(),
    )
    evidence.file.save("audit.pdf", ContentFile(PDF), save=False)
    evidence.save()
    LinkEvidenceFactory(action=action)
    measure = Measure.objects.create(name="Assessments keep people safe", unit=derby, baseline=40, target=75)
    measure.recommendations.add(recommendation)
    feed_token = issue_calendar_feed(user=users["own_pdu_leader"])
    challenge = challenges.challenge(on=action, by=users["own_director"], text="Where is the audit?")
    proposal = due_date_proposals.propose_due_date(
        action=action, by=users["own_pdu_leader"], new_due_date=action.due_date + dt.timedelta(days=30), reason="Staff"
    )
    return SimpleNamespace(
        proposal=proposal,
        challenge=challenge,
        users=users,
        derby=derby,
        inspection=inspection,
        recommendation=recommendation,
        action=action,
        evidence=evidence,
        measure=measure,
        feed_token=feed_token,
    )


def _pk(attribute):
    return lambda world: {"pk": getattr(world, attribute).pk}


def _no_args(world):
    return {}


def _file_format(world):
    return {"file_format": "csv"}


def _plan(**more):
    """The address of Derby City's response plan to the inspection (not started), with more of it."""

    def arguments(world):
        found = {"inspection": world.inspection.pk, "unit": world.derby.slug}
        found.update({name: getattr(world, attribute).pk for name, attribute in more.items()})
        return found

    return arguments


# url name: (arguments, GET for each role in ROLES order, POST for each role, why where it is not obvious)
EXPECTED = {
    # Signing in and out. A signed-in user is sent on from the sign-in page.
    "login": (_no_args, "200 302 302 302 302 302 302 302", "200 302 302 302 302 302 302 302"),
    # Signing out is a POST only; it always ends on the sign-in page.
    "logout": (_no_args, "405 405 405 405 405 405 405 405", "302 302 302 302 302 302 302 302"),
    # Signing in through HMPPS Auth or Entra ID (tests/test_signin_providers.py). With `local`
    # sign-in, as here, the start goes to the password form and the provider's callback is not found.
    "signin:start": (_no_args, "302 302 302 302 302 302 302 302", "405 405 405 405 405 405 405 405"),
    "signin:callback": (_no_args, "404 404 404 404 404 404 404 404", "405 405 405 405 405 405 405 405"),
    "signin:password": (_no_args, "200 302 302 302 302 302 302 302", "200 302 302 302 302 302 302 302"),
    # "You do not have access yet": everyone here has access, so is sent on to their home page.
    "signin:no_access": (_no_args, "302 302 302 302 302 302 302 302", READ_ONLY_POST),
    "recommendations:home": (_no_args, SIGNED_IN_ONLY, READ_ONLY_POST),
    # Each person's own reminders and their choice of daily or weekly; an empty POST shows the form's error.
    "reminders:notifications": (_no_args, SIGNED_IN_ONLY, SIGNED_IN_ONLY),
    "recommendations:accessibility": (_no_args, PUBLIC, PUBLIC_READ_ONLY_POST),
    # Browsers ask for /favicon.ico themselves: everyone is sent on to the GOV.UK icon (a static file).
    "recommendations:favicon": (_no_args, "302 302 302 302 302 302 302 302", PUBLIC_READ_ONLY_POST),
    # Each person's own choice of the plan's columns: a POST that goes back to the plan.
    "recommendations:action_plan_columns": (
        _no_args,
        "302 405 405 405 405 405 405 405",
        "302 302 302 302 302 302 302 302",
    ),
    # Importing a region's action-plan spreadsheet, its template and the export in its columns:
    # administrators only (every unit's actions pass through them).
    "recommendations:plan_import": (_no_args, ADMINISTRATORS_ONLY, ADMINISTRATORS_ONLY),
    "recommendations:plan_template": (_file_format, ADMINISTRATORS_ONLY, ADMINISTRATORS_ONLY),
    "recommendations:plan_export": (_file_format, ADMINISTRATORS_ONLY, ADMINISTRATORS_ONLY),
    # The list of inspections: everyone signed in, each seeing their own scope's.
    "recommendations:inspection_list": (_no_args, SIGNED_IN_ONLY, READ_ONLY_POST),
    # Each sees the open challenges on the units they see (none, for some): a list, never another's.
    "recommendations:open_challenges": (_no_args, SIGNED_IN_ONLY, READ_ONLY_POST),
    # The recommendations dashboards' figures open: each user's own scope, filtered.
    "recommendations:recommendation_list": (_no_args, SIGNED_IN_ONLY, READ_ONLY_POST),
    # Reading the plan: the other PDU and the other region do not see Derby City's.
    "recommendations:inspection_detail": (_pk("inspection"), "302 200 404 200 404 200 200 200", READ_ONLY_POST),
    "recommendations:recommendation_detail": (
        _pk("recommendation"),
        "302 200 404 200 404 200 200 200",
        READ_ONLY_POST,
    ),
    "recommendations:action_detail": (_pk("action"), "302 200 404 200 404 200 200 200", READ_ONLY_POST),
    "recommendations:evidence_download": (_pk("evidence"), "302 200 404 200 404 200 200 200", READ_ONLY_POST),
    "recommendations:action_history": (_pk("action"), "302 200 404 200 404 200 200 200", READ_ONLY_POST),
    "recommendations:recommendation_history": (
        _pk("recommendation"),
        "302 200 404 200 404 200 200 200",
        READ_ONLY_POST,
    ),
    # Managing the plan (response, new actions, due dates, details): the region's director.
    "recommendations:recommendation_response": (
        _pk("recommendation"),
        "302 403 404 200 404 403 403 200",
        "302 403 404 200 404 403 403 200",
    ),
    "recommendations:action_create": (
        _pk("recommendation"),
        "302 403 404 200 404 403 403 200",
        "302 403 404 200 404 403 403 200",
    ),
    "recommendations:action_revise_due_date": (
        _pk("action"),
        "302 403 404 200 404 403 403 200",
        "302 403 404 200 404 403 403 200",
    ),
    # A new due date for an approved action: its PDU leader proposes, the region's director decides
    # (an administrator changes the date directly, so has nothing to propose).
    "recommendations:action_propose_due_date": (
        _pk("action"),
        "302 200 404 403 404 403 403 403",
        "302 200 404 403 404 403 403 403",
    ),
    "recommendations:due_date_proposal_decide": (
        _pk("proposal"),
        "302 403 404 200 404 403 403 200",
        "302 403 404 200 404 403 403 200",
    ),
    "recommendations:action_edit": (
        _pk("action"),
        "302 403 404 200 404 403 403 200",
        "302 403 404 200 404 403 403 200",
    ),
    # Working on an action (progress, evidence, completion): the unit's leader and director.
    "recommendations:action_log_progress": (
        _pk("action"),
        "302 200 404 200 404 403 403 200",
        "302 200 404 200 404 403 403 200",
    ),
    "recommendations:action_complete": (
        _pk("action"),
        "302 200 404 200 404 403 403 200",
        "302 200 404 200 404 403 403 200",
    ),
    "recommendations:evidence_add": (
        _pk("action"),
        "302 200 404 200 404 403 403 200",
        "302 200 404 200 404 403 403 200",
    ),
    "recommendations:evidence_withdraw": (
        _pk("evidence"),
        "302 200 404 200 404 403 403 200",
        "302 200 404 200 404 403 403 200",
    ),
    # Verifying and returning: a director of the region or the national team, never the owner or completer.
    "recommendations:action_verify": (
        _pk("action"),
        "302 403 404 200 404 403 200 403",
        "302 403 404 200 404 403 200 403",
    ),
    "recommendations:action_return": (
        _pk("action"),
        "302 403 404 200 404 403 200 403",
        "302 403 404 200 404 403 200 403",
    ),
    # Cancelling and reopening (with a reason): whoever manages the plan.
    "recommendations:action_cancel": (
        _pk("action"),
        "302 403 404 200 404 403 403 200",
        "302 403 404 200 404 403 403 200",
    ),
    "recommendations:action_reopen": (
        _pk("action"),
        "302 403 404 200 404 403 403 200",
        "302 403 404 200 404 403 403 200",
    ),
    # The action plan and its CSV: each user's own scope (what is in them is tested below).
    "recommendations:action_plan": (_no_args, SIGNED_IN_ONLY, READ_ONLY_POST),
    "recommendations:action_plan_csv": (_no_args, SIGNED_IN_ONLY, READ_ONLY_POST),
    # Dashboards: sent on to the national one (HMPPS, administrators) or to the user's region's.
    "recommendations:dashboard": (_no_args, "302 302 302 302 302 302 302 302", READ_ONLY_POST),
    "recommendations:national_dashboard": (_no_args, "302 403 403 403 403 200 200 200", READ_ONLY_POST),
    # A region's dashboard: its PDU leaders see their own unit's figures in it; another region's director does not.
    "recommendations:regional_dashboard": (
        lambda w: {"slug": "east-midlands"},
        "302 200 200 200 404 200 200 200",
        READ_ONLY_POST,
    ),
    # A unit's response plan: everyone who sees the unit reads it; its PDU leader drafts and submits it
    # (an administrator may too); its regional director signs it off once submitted (here it is not started).
    "recommendations:response_plan": (_plan(), "302 200 404 200 404 200 200 200", READ_ONLY_POST),
    "recommendations:response_plan_submit": (
        _plan(),
        "302 200 404 403 404 403 403 200",
        "302 200 404 403 404 403 403 200",
    ),
    "recommendations:response_plan_response": (
        _plan(rec="recommendation"),
        "302 200 404 403 404 403 403 200",
        "302 200 404 403 404 403 403 200",
    ),
    "recommendations:response_plan_action_create": (
        _plan(rec="recommendation"),
        "302 200 404 403 404 403 403 200",
        "302 200 404 403 404 403 403 200",
    ),
    "recommendations:response_plan_action_edit": (
        _plan(action="action"),
        "302 200 404 403 404 403 403 200",
        "302 200 404 403 404 403 403 200",
    ),
    "recommendations:response_plan_sign_off": (
        _plan(),
        "302 403 404 403 404 403 403 403",
        "302 403 404 403 404 403 403 403",
    ),
    # Challenges: the region's director (HMPPS items: national viewers); the owner or unit's leader replies.
    "recommendations:action_challenge": (
        _pk("action"),
        "302 403 404 200 404 403 403 403",
        "302 403 404 200 404 403 403 403",
    ),
    "recommendations:recommendation_challenge": (
        _pk("recommendation"),
        "302 403 404 200 404 403 403 403",
        "302 403 404 200 404 403 403 403",
    ),
    "recommendations:challenge_reply": (
        _pk("challenge"),
        "302 200 404 403 404 403 403 200",
        "302 200 404 403 404 403 403 200",
    ),
    # Reports and exports: everyone signed in gets their own scope's; another unit's is not found.
    "reporting:index": (_no_args, SIGNED_IN_ONLY, READ_ONLY_POST),
    "reporting:plan_xlsx": (lambda w: {}, SIGNED_IN_ONLY, READ_ONLY_POST),
    "reporting:plan_pdf": (lambda w: {}, SIGNED_IN_ONLY, READ_ONLY_POST),
    "reporting:plan_docx": (lambda w: {}, SIGNED_IN_ONLY, READ_ONLY_POST),
    "reporting:evidence_pack": (
        lambda w: {"slug": w.derby.slug},
        "302 200 404 200 404 200 200 200",
        READ_ONLY_POST,
    ),
    "reporting:progress": (lambda w: {"slug": w.derby.slug}, "302 200 404 200 404 200 200 200", READ_ONLY_POST),
    "reporting:record_reading": (
        _pk("measure"),
        "302 200 404 200 404 403 403 200",
        "302 200 404 200 404 403 403 200",
    ),
    "reporting:themes": (_no_args, SIGNED_IN_ONLY, READ_ONLY_POST),
    # Each person's own calendar settings; POST makes them a new feed address.
    "reporting:calendar": (_no_args, SIGNED_IN_ONLY, SIGNED_IN_ONLY),
    # The feed needs no sign-in: its secret address is the key (a wrong one is tested below).
    "reporting:calendar_feed": (lambda w: {"token": w.feed_token}, PUBLIC, PUBLIC_READ_ONLY_POST),
}

# Query strings that narrow a download to one unit: another unit's must not be reachable.
EXPORTS_WITHIN_A_UNIT = {
    "reporting:plan_xlsx": "302 200 404 200 404 200 200 200",
    "reporting:plan_pdf": "302 200 404 200 404 200 200 200",
    "reporting:plan_docx": "302 200 404 200 404 200 200 200",
}


def _url_names(patterns, namespace=None, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _url_names(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if route.startswith(("admin/", "static/", "media/")):
                continue
            name = pattern.name or f"(unnamed) {route}"
            yield f"{namespace}:{name}" if namespace and pattern.name else name


def service_url_names():
    return sorted(set(_url_names(get_resolver().url_patterns)))


def test_every_url_has_an_entry():
    names = service_url_names()
    missing = [name for name in names if name not in EXPECTED]
    assert not missing, f"Add these URLs to the authorisation matrix (EXPECTED): {missing}"
    stale = [name for name in EXPECTED if name not in names]
    assert not stale, f"These matrix rows name URLs that no longer exist: {stale}"


def _codes(row):
    codes = [int(code) for code in row.split()]
    assert len(codes) == len(ROLES)
    return dict(zip(ROLES, codes, strict=True))


@pytest.fixture
def world(settings):
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        yield build_world()


def _client(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _check(clients, url, expected, method):
    mismatches = []
    for role, code in _codes(expected).items():
        client = clients[role]
        response = client.get(url) if method == "GET" else client.post(url, {})
        if response.status_code != code:
            mismatches.append(f"{method} {url} as {role}: expected {code}, got {response.status_code}")
        elif (
            code == 302
            and role == "anonymous"
            and url not in (reverse("logout"), reverse("recommendations:favicon"))
            and not response["Location"].startswith(reverse("login"))
        ):
            mismatches.append(f"{method} {url} as anonymous: redirected to {response['Location']}, not sign in")
    return mismatches


@pytest.mark.parametrize("url_name", sorted(EXPECTED))
def test_each_role_gets_what_the_matrix_says(world, url_name):
    arguments, get_codes, post_codes = EXPECTED[url_name]
    url = reverse(url_name, kwargs=arguments(world))
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        clients = {role: _client(world, role) for role in ROLES}
        mismatches = _check(clients, url, get_codes, "GET") + _check(clients, url, post_codes, "POST")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("url_name", sorted(EXPORTS_WITHIN_A_UNIT))
def test_a_download_narrowed_to_another_unit_is_not_found(world, url_name):
    url = reverse(url_name) + f"?within={world.derby.slug}"
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        clients = {role: _client(world, role) for role in ROLES}
        mismatches = _check(clients, url, EXPORTS_WITHIN_A_UNIT[url_name], "GET")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("url_name", ["recommendations:action_plan_csv", "reporting:plan_xlsx"])
@pytest.mark.parametrize(
    ("role", "sees_it"), [("other_pdu_leader", False), ("other_director", False), ("own_director", True)]
)
def test_plan_downloads_hold_only_the_users_scope(world, url_name, role, sees_it):
    import io

    import openpyxl

    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        for query in ("", f"?unit={world.derby.slug}"):
            response = _client(world, role).get(reverse(url_name) + query)
            assert response.status_code in (200, 404)
            if response.status_code == 404:
                continue
            if url_name.endswith("csv"):
                text = b"".join(response.streaming_content).decode()
            else:
                book = openpyxl.load_workbook(io.BytesIO(response.content))
                text = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
            assert ("Deliver risk of harm training" in text) is sees_it, (role, query)


def test_a_wrong_calendar_feed_address_is_not_found(world, client):
    assert client.get(reverse("reporting:calendar_feed", kwargs={"token": "not-the-secret"})).status_code == 404
    assert client.get(reverse("reporting:calendar_feed", kwargs={"token": world.feed_token[:-1]})).status_code == 404


def test_a_deactivated_user_is_treated_as_signed_out_everywhere(world):
    leader = world.users["own_pdu_leader"]
    client = _client(world, "own_pdu_leader")
    leader.is_active = False
    leader.save()
    for url_name in ("recommendations:action_detail", "recommendations:evidence_download"):
        arguments = EXPECTED[url_name][0](world)
        response = client.get(reverse(url_name, kwargs=arguments))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_matrix_size():
    """Kept in step with the URL configuration: every URL, every role, GET and POST."""
    assert len(EXPECTED) == len(service_url_names())
    assert len(ROLES) == 8
