"""Bad input refused clearly on every form: impossible dates, text over its limit, each with a
GOV.UK error summary that links to the field, and the user's typing kept."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from recommendations.models import Action, DueDateRevision, ProgressUpdate
from reporting.models import Measure, MeasureReading
from tests.web_world import build_world

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
KEPT = "Typed by hand – keep me"


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        world = build_world()
        world.measure = Measure.objects.create(name="Assessments keep people safe", unit=world.pdu, baseline=40)
        world.measure.recommendations.add(world.recommendation)
        yield world


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _version(world):
    return str(Action.objects.get(pk=world.action.pk).version)


# form: (url name, object, who, the date field, the other fields a person fills in, the text field kept)
DATE_FORMS = {
    "revise due date": (
        "recommendations:action_revise_due_date",
        "action",
        "director",
        "new_due_date",
        {"reason": KEPT},
    ),
    "edit action": (
        "recommendations:action_edit",
        "action",
        "director",
        "start_date",
        {"description": KEPT, "owner": "leader", "success_measure": "Audit"},
    ),
    "new action": (
        "recommendations:action_create",
        "recommendation",
        "director",
        "due_date",
        {"description": KEPT, "owner": "leader", "unit": "pdu", "success_measure": "Audit"},
    ),
    "add evidence": (
        "recommendations:evidence_add",
        "action",
        "leader",
        "relates_to",
        {"title": KEPT, "url": "https://intranet.example/a"},
    ),
    "record reading": ("reporting:record_reading", "measure", "leader", "taken_on", {"value": "55", "note": KEPT}),
}


def _resolve(world, fields):
    """Fill in references to the world's objects (the owner, the unit) with their keys."""
    return {k: (str(getattr(world, v).pk) if v in ("leader", "pdu") else v) for k, v in fields.items()}


def _assert_clear_error(html, field_id, message):
    assert "govuk-error-summary" in html
    summary = html.split("govuk-error-summary", 1)[1].split("</div>", 3)
    assert message in html
    assert f'href="#{field_id}' in "".join(summary), f"the error summary should link to {field_id}"
    assert "<title>Error: " in html


@pytest.mark.parametrize("form_name", sorted(DATE_FORMS))
@pytest.mark.parametrize(("day", "month", "year"), [("31", "2", "2027"), ("29", "2", "2027"), ("31", "4", "2027")])
def test_impossible_dates_are_refused_and_the_typing_kept(world, form_name, day, month, year):
    url_name, obj, who, date_field, fields = DATE_FORMS[form_name]
    data = {
        "version": _version(world),
        **_resolve(world, fields),
        f"{date_field}_day": day,
        f"{date_field}_month": month,
        f"{date_field}_year": year,
    }
    counts = (Action.objects.count(), DueDateRevision.objects.count(), MeasureReading.objects.count())
    with time_machine.travel(NOW, tick=False):
        response = _client(getattr(world, who)).post(reverse(url_name, args=[getattr(world, obj).pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    _assert_clear_error(html, f"id_{date_field}", "must be a real date")
    assert escape(KEPT) in html
    assert f'value="{day}"' in html and f'value="{year}"' in html, "the date as typed is shown back"
    assert (Action.objects.count(), DueDateRevision.objects.count(), MeasureReading.objects.count()) == counts


# form: (url name, object, who, the long field, its limit, the other fields, the start of its message)
LIMITED = [
    (
        "recommendations:action_log_progress",
        "action",
        "leader",
        "narrative",
        5000,
        {"status": "in_progress", "rag": "green"},
    ),
    ("recommendations:action_complete", "action", "leader", "narrative", 5000, {}),
    ("recommendations:evidence_add", "action", "leader", "title", 200, {"url": "https://intranet.example/a"}),
    (
        "recommendations:evidence_add",
        "action",
        "leader",
        "description",
        2000,
        {"title": "T", "url": "https://x.example"},
    ),
    (
        "recommendations:action_revise_due_date",
        "action",
        "director",
        "reason",
        2000,
        {"new_due_date_day": "1", "new_due_date_month": "1", "new_due_date_year": "2027"},
    ),
    (
        "recommendations:action_edit",
        "action",
        "director",
        "description",
        2000,
        {"owner": "leader", "success_measure": "A"},
    ),
    (
        "recommendations:action_edit",
        "action",
        "director",
        "success_measure",
        2000,
        {"owner": "leader", "description": "A"},
    ),
    ("recommendations:evidence_withdraw", "link", "leader", "reason", 2000, {}),
    ("recommendations:action_return", "action", "director", "reason", None, {}),
    ("recommendations:action_verify", "action", "director", "comment", None, {}),
    (
        "recommendations:recommendation_response",
        "recommendation",
        "director",
        "rationale",
        5000,
        {"response": "not_agreed"},
    ),
]


@pytest.mark.parametrize(("url_name", "obj", "who", "field", "limit", "others"), LIMITED)
def test_text_over_its_limit_is_refused_with_the_limit_named_and_kept(world, url_name, obj, who, field, limit, others):
    form_class_limit = limit or 5000
    too_long = ("Word " * (form_class_limit // 5 + 2))[: form_class_limit + 1]
    data = {"version": _version(world), **_resolve(world, others), field: too_long}
    updates = ProgressUpdate.objects.count()
    with time_machine.travel(NOW, tick=False):
        client = _client(getattr(world, who))
        url = reverse(url_name, args=[getattr(world, obj).pk])
        field_limit = client.get(url).context["form"].fields[field].max_length
        data[field] = ("Word " * (field_limit // 5 + 2))[: field_limit + 1]
        response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    _assert_clear_error(html, f"id_{field}", f"must be {field_limit:,} characters or fewer")
    assert escape(data[field].strip()) in html or escape(data[field]) in html, "the long text is kept for editing"
    assert ProgressUpdate.objects.count() == updates


def test_required_text_that_is_only_spaces_is_refused(world):
    with time_machine.travel(NOW, tick=False):
        response = _client(world.leader).post(
            reverse("recommendations:action_log_progress", args=[world.action.pk]),
            {"version": _version(world), "narrative": "   \n\t ", "status": "in_progress", "rag": "green"},
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"Enter what has been done since the last update", html)
    assert not ProgressUpdate.objects.filter(action=world.action).exists()
