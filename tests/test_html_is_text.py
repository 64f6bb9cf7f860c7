"""HTML typed into any free-text field is shown as text on every page, never run.

A director and a PDU leader fill in every free-text field of the service's forms with
markup; then every page that shows the plan is read as each of them, and none may
contain the markup as markup. Where a field is shown, its escaped text must be there.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from recommendations.models import Action
from reporting.models import Measure
from tests.web_world import build_world

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


def payload(tag):
    """Markup that would run if it reached the page unescaped, distinct for each field."""
    return f"<script>alert('{tag}')</script><img src=x onerror=alert('{tag}')>"


RUNNABLE = re.compile(r"<script>alert\(|<img src=x onerror", re.I)


def _version(client, url):
    return client.get(url).context["form"]["version"].value()


def _post(client, url, data, *, versioned=True):
    if versioned:
        data = {"version": _version(client, url), **data}
    response = client.post(url, data)
    assert response.status_code == 302, f"{url}: {response.status_code} {response.content.decode()[:2000]}"
    return response


def _fill_every_free_text_field(world):
    leader, director = Client(), Client()
    leader.force_login(world.leader)
    director.force_login(world.director)
    action = world.action
    a = lambda name: reverse(f"recommendations:{name}", args=[action.pk])  # noqa: E731

    _post(
        director,
        reverse("recommendations:recommendation_response", args=[world.recommendation.pk]),
        {"response": "partly_agreed", "rationale": payload("rationale")},
        versioned=False,
    )
    _post(
        director,
        reverse("recommendations:action_create", args=[world.recommendation.pk]),
        {
            "description": payload("new-description"),
            "unit": world.pdu.pk,
            "owner": world.leader.pk,
            "success_measure": payload("new-measure"),
            "due_date_day": "31",
            "due_date_month": "12",
            "due_date_year": "2026",
        },
        versioned=False,
    )
    _post(
        director,
        a("action_edit"),
        {"description": payload("description"), "owner": world.leader.pk, "success_measure": payload("measure")},
    )
    _post(
        director,
        a("action_revise_due_date"),
        {"new_due_date_day": "31", "new_due_date_month": "3", "new_due_date_year": "2027", "reason": payload("due")},
    )
    _post(
        leader, a("action_log_progress"), {"narrative": payload("narrative"), "status": "in_progress", "rag": "green"}
    )
    _post(
        leader,
        a("evidence_add"),
        {"title": payload("ev-title"), "description": payload("ev-desc"), "url": "https://intranet.example/a"},
    )
    _post(
        leader,
        reverse("recommendations:evidence_withdraw", args=[world.link.pk]),
        {"reason": payload("withdrawal")},
    )
    _post(leader, a("action_complete"), {"narrative": payload("closing")})
    _post(director, a("action_return"), {"reason": payload("return")})
    _post(leader, a("action_complete"), {"narrative": payload("closing-again")})
    _post(director, a("action_verify"), {"comment": payload("verify")})

    measure = Measure.objects.create(name="Assessments keep people safe", unit=world.pdu, baseline=40, target=75)
    measure.recommendations.add(world.recommendation)
    _post(
        leader,
        reverse("reporting:record_reading", args=[measure.pk]),
        {
            "taken_on_day": "1",
            "taken_on_month": "6",
            "taken_on_year": "2026",
            "value": "55",
            "source": payload("source"),
            "note": payload("note"),
        },
        versioned=False,
    )
    return leader, director


@pytest.fixture
def filled():
    with time_machine.travel(NOW, tick=False):
        world = build_world()
        leader, director = _fill_every_free_text_field(world)
        yield world, leader, director


def _pages(world):
    action = world.action
    new_action = Action.objects.exclude(pk__in=[world.action.pk, world.national_action.pk]).get()
    return {
        "home": reverse("recommendations:home"),
        "action": reverse("recommendations:action_detail", args=[action.pk]),
        "new action": reverse("recommendations:action_detail", args=[new_action.pk]),
        "recommendation": reverse("recommendations:recommendation_detail", args=[world.recommendation.pk]),
        "inspection": reverse("recommendations:inspection_detail", args=[world.inspection.pk]),
        "action history": reverse("recommendations:action_history", args=[action.pk]),
        "recommendation history": reverse("recommendations:recommendation_history", args=[world.recommendation.pk]),
        "action plan": reverse("recommendations:action_plan"),
        "regional dashboard": reverse("recommendations:regional_dashboard", args=[world.region.slug]),
        "reports": reverse("reporting:index"),
        "progress report": reverse("reporting:progress", args=[world.pdu.slug]),
        "themes": reverse("reporting:themes"),
        "log progress form": reverse("recommendations:action_log_progress", args=[new_action.pk]),
        "edit form": reverse("recommendations:action_edit", args=[new_action.pk]),
    }


# Where each field must be seen, escaped (the pages that show it in full).
SHOWN_ON = {
    "action": ["description", "measure", "due", "narrative", "ev-title", "ev-desc", "withdrawal", "closing", "return"],
    "recommendation": ["rationale"],
    "new action": ["new-description", "new-measure"],
    "action history": ["description", "measure", "narrative", "ev-title", "withdrawal", "return", "verify"],
    "recommendation history": ["rationale", "new-description"],
    "edit form": ["new-description", "new-measure"],
}


def test_markup_in_every_free_text_field_is_shown_as_text_everywhere(filled):
    world, leader, director = filled
    with time_machine.travel(NOW, tick=False):
        for who, client in (("leader", leader), ("director", director)):
            for page, url in _pages(world).items():
                response = client.get(url)
                if response.status_code == 403:
                    continue  # e.g. the leader may not edit details; the director's view covers it
                assert response.status_code == 200, f"{page} as {who}: {response.status_code}"
                html = response.content.decode()
                found = RUNNABLE.search(html)
                assert found is None, (
                    f"{page} as {who} runs markup: ...{html[max(0, found.start() - 200) : found.end() + 100]}"
                )
                for tag in SHOWN_ON.get(page, []):
                    assert escape(payload(tag)) in html or escape(f"<script>alert('{tag}')</script>") in html, (
                        f"{page} as {who} does not show the {tag} field as text"
                    )


def test_markup_in_a_form_shown_back_with_errors_is_text(filled):
    """A refused form shows the typed input again: escaped, not run."""
    world, leader, _ = filled
    # The filled action is verified, so takes no more evidence: the open action made through the form does.
    open_action = Action.objects.exclude(pk__in=[world.action.pk, world.national_action.pk]).get()
    with time_machine.travel(NOW, tick=False):
        response = leader.post(
            reverse("recommendations:evidence_add", args=[open_action.pk]),
            {"version": open_action.version, "title": payload("refused"), "url": "javascript:alert(1)"},
        )
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert RUNNABLE.search(html) is None
    assert escape(payload("refused")) in html


def test_a_link_evidence_cannot_be_a_script_url(filled):
    world, leader, _ = filled
    with time_machine.travel(NOW, tick=False):
        html = leader.get(reverse("recommendations:action_detail", args=[world.action.pk])).content.decode()
    for href in re.findall(r'href="([^"]*)"', html):
        assert not href.strip().lower().startswith(("javascript:", "data:", "vbscript:")), href


def test_markup_reaches_the_pdf_plan_as_text(filled):
    """The PDF is drawn from HTML: markup in a field must be printed, not laid out."""
    import io

    import pypdf

    world, _, director = filled
    with time_machine.travel(NOW, tick=False):
        response = director.get(reverse("reporting:plan_pdf") + f"?within={world.pdu.slug}")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "<script>alert('description')</script>" in "".join(text.split("\n"))
