"""Dashboards that explain: figures that open the plan rows they count, what needs attention, superseded bodies."""

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.http import QueryDict
from django.urls import reverse

from recommendations.selectors.action_plan import action_plan
from tests.factories import ActionFactory, RecommendationFactory
from tests.reporting_world import build_world

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 15)
EAST_MIDLANDS = reverse("recommendations:regional_dashboard", args=["east-midlands"])


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world():
    world = build_world()
    # A recommendation of 2016 to the dissolved CRC, whose work the region took over.
    world.crc_recommendation = RecommendationFactory(
        inspection=world.derby_2023, number=9, addressed_to=world.crc, text="Reduce caseloads in the CRC."
    )
    ActionFactory(recommendation=world.crc_recommendation, unit=world.crc, owner=world.director)
    return world


def _figure_links(html):
    """(figure, accessible label, plan query) of every figure that links to the plan."""
    plan = reverse("recommendations:action_plan")
    link = rf'<a class="govuk-link" href="{plan}\?([^"]*)">(\d+)<span class="govuk-visually-hidden"> ([^<]*)</span></a>'
    found = re.findall(link, html)
    return [(int(figure), unescape(label), QueryDict(unescape(query))) for query, figure, label in found]


def test_every_figure_of_a_unit_opens_exactly_the_plan_rows_it_counts(client, world):
    client.force_login(world.director)
    html = client.get(EAST_MIDLANDS).content.decode()
    links = _figure_links(html)
    labels = {label for _, label, _ in links}
    assert {"overdue actions of Derby City", "actions in progress of Derbyshire", "red actions of Derbyshire"} <= labels
    for figure, label, query in links:
        plan = action_plan(user=world.director, today=TODAY, params=query)
        assert plan.filterset.form.is_valid(), plan.filterset.form.errors
        rows = list(plan.rows())
        assert len(rows) == figure, f"'{label}' says {figure} but the plan shows {len(rows)} rows for {query}"
    assert any(figure > 0 for figure, _, _ in links)


def test_needs_attention_lists_each_units_red_actions_with_owner_lateness_and_latest_update(client, world):
    client.force_login(world.director)
    response = client.get(EAST_MIDLANDS)
    html = response.content.decode()
    section = html[html.index("Needs attention") : html.index("By inspection")]
    assert "Derbyshire: " in section
    assert "Risk of harm training for every practitioner." in section
    assert "Shire Lead" in section and "15 days overdue" in section
    assert "No update yet" in section
    # Green actions are not listed.
    assert "Weekly SPO case review huddles" not in section


def test_needs_attention_shows_the_latest_update_and_a_blocked_action(client, world):
    world.derby_a1.status = "blocked"
    world.derby_a1.due_date = dt.date(2026, 1, 5)
    world.derby_a1.save()
    client.force_login(world.director)
    html = client.get(EAST_MIDLANDS).content.decode()
    section = html[html.index("Needs attention") : html.index("By inspection")]
    assert "Huddles running in four of five teams." in section
    assert ">Blocked</strong>" in section and "10 days overdue" in section


def test_needs_attention_lists_a_units_five_soonest_due_and_links_to_every_red_action(client, world):
    for day in range(1, 8):  # seven more red actions of Derbyshire, overdue
        ActionFactory(
            recommendation=world.shire_r1,
            owner=world.derbyshire_lead,
            description=f"Overdue action {day}",
            start_date=None,
            original_due_date=dt.date(2025, 11, day),
        )
    client.force_login(world.director)
    html = client.get(EAST_MIDLANDS).content.decode()
    section = html[html.index("Needs attention") : html.index("By inspection")]
    shown = re.findall(r"Overdue action (\d)", section)
    assert shown == ["1", "2", "3", "4", "5"]  # soonest due first
    assert "And 3 more" in section  # the two not shown, and the training action due last
    plan = reverse("recommendations:action_plan")
    assert f'href="{plan}?unit=derbyshire&amp;derived_rag=red"' in section


def test_recommendations_to_dissolved_bodies_are_shown_apart_and_left_out_of_readiness(client, world):
    client.force_login(world.director)
    response = client.get(EAST_MIDLANDS)
    html = response.content.decode()
    dashboard = response.context["dashboard"]
    assert [row.unit for row in dashboard.superseded] == [world.crc]
    assert world.crc not in [row.unit for row in dashboard.units]
    # The region's and its PDUs', and HMPPS's on their inspections; not the CRC's.
    assert dashboard.total.recommendations == 5
    superseded = html[html.index("Superseded bodies") : html.index("By inspection")]
    assert "Derbyshire, Nottinghamshire, Leicestershire and Rutland CRC" in superseded
    assert "Probation Service – East Midlands" in superseded  # what took its work over
    assert "How readiness is worked out" in html
    assert "Readiness for the next inspection is the share of recommendations that are done." in html


def test_the_national_dashboard_leaves_dissolved_bodies_out_and_says_so(client, world):
    from tests.factories import NationalViewerFactory

    client.force_login(NationalViewerFactory(unit=world.hmpps))
    response = client.get(reverse("recommendations:national_dashboard"))
    assert response.context["dashboard"].superseded.recommendations == 1
    text = re.sub(r"<[^>]+>", "", response.content.decode())
    assert "Not counted here: 1 recommendation made before June 2021" in text
