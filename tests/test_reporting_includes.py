"""The one-line panels other pages include: download links, a unit's progress and measures."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from reporting.models import Measure
from tests.reporting_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    with time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield build_world()


def _render(source, user, path="/", **context):
    request = RequestFactory().get(path)
    request.user = user
    return Template("{% load reporting_tags %}" + source).render(Context({"request": request, **context}))


def test_plan_downloads_carry_the_pages_filters(world):
    html = _render("{% plan_downloads %}", world.director, "/plan/?status=blocked&unit=derby-city")
    assert f'href="{reverse("reporting:plan_xlsx")}?status=blocked&amp;unit=derby-city"' in html
    assert f'href="{reverse("reporting:plan_pdf")}?status=blocked&amp;unit=derby-city"' in html
    html = _render("{% plan_downloads query %}", world.director, "/plan/", query="overdue=yes")
    assert f'href="{reverse("reporting:plan_xlsx")}?overdue=yes"' in html


def test_progress_chart_for_a_dashboard(world):
    html = _render("{% progress_chart unit %}", world.director, unit=world.region)
    assert "Progress over time" in html
    assert "0 of 4 actions completed" in html.replace("<strong>", "").replace("</strong>", "")
    assert reverse("reporting:progress", args=["east-midlands"]) in html
    # A PDU leader on the regional dashboard sees only what is in their scope.
    leader_html = _render("{% progress_chart unit %}", world.derbyshire_lead, unit=world.region)
    assert "0 of 1 actions completed" in leader_html.replace("<strong>", "").replace("</strong>", "")


def test_unit_measures_take_a_region_with_its_pdus(world):
    measure = Measure.objects.create(name="Oversight recorded", unit=world.derby, target=Decimal(80))
    measure.recommendations.add(world.derby_r1)
    assert "Oversight recorded" in _render("{% unit_measures unit %}", world.director, unit=world.region)
    assert "Oversight recorded" not in _render("{% unit_measures unit %}", world.derbyshire_lead, unit=world.region)
