"""Recurring themes, on the published inspections: what keeps coming back, and in whose scope."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from recommendations.models import ActionStatus, OrgUnit, Recommendation, Theme
from reporting.selectors.themes import earlier_recommendations, themes_overview
from tests.factories import ActionFactory, DirectorFactory, NationalViewerFactory, UserFactory

pytestmark = pytest.mark.django_db

# Management oversight in the published reports (inspection, recommendation number).
DERBY_CITY_2023 = (1, 2)
DERBYSHIRE_2025 = (2, 4)
LLR_2023 = (3, 7)
DERBYSHIRE_2016_CRC = (5, 7)


@pytest.fixture
def published():
    call_command("loaddata", "inspections", verbosity=0)
    units = {u.slug: u for u in OrgUnit.objects.all()}
    return units


def _rec(inspection_and_number):
    inspection, number = inspection_and_number
    return Recommendation.objects.get(inspection_id=inspection, number=number)


def _oversight(user, **kwargs):
    [overview] = themes_overview(user, theme=Theme.objects.get(slug="management-oversight"), **kwargs)
    return overview


def test_a_director_sees_management_oversight_come_back_across_inspections(published):
    director = DirectorFactory(username="director", unit=published["east-midlands"])
    overview = _oversight(director)
    assert [i.published_on.year for i in overview.inspections] == [2016, 2023, 2023, 2025]
    threads = {t.unit.slug: t for t in overview.threads}
    derbyshire = threads["derbyshire"]
    assert [r.pk for r in derbyshire.recommendations] == [_rec(DERBYSHIRE_2016_CRC).pk, _rec(DERBYSHIRE_2025).pk]
    assert derbyshire.recurs
    assert [r.pk for r in threads["derby-city"].recommendations][-1] == _rec(DERBY_CITY_2023).pk
    assert [r.pk for r in threads["leicester-leicestershire-rutland"].recommendations][-1] == _rec(LLR_2023).pk


def test_a_pdu_leader_sees_only_their_own_units_thread(published):
    leader = UserFactory(username="derby.lead", unit=published["derby-city"])
    overview = _oversight(leader)
    assert [t.unit.slug for t in overview.threads] == ["derby-city"]
    assert {r.inspection_id for r in overview.threads[0].recommendations} == {DERBY_CITY_2023[0]}


def test_earlier_recommendations_follow_the_unit_and_its_predecessors(published):
    director = DirectorFactory(username="director", unit=published["east-midlands"])
    earlier = earlier_recommendations(director, _rec(DERBYSHIRE_2025))
    pks = [r.pk for r in earlier]
    assert _rec(DERBYSHIRE_2016_CRC).pk in pks  # to the CRC whose work the region took over
    assert _rec(DERBY_CITY_2023).pk not in pks  # another PDU's
    assert _rec(LLR_2023).pk not in pks
    assert all(r.inspection.published_on < dt.date(2025, 5, 1) for r in earlier)
    crc = next(r for r in earlier if r.pk == _rec(DERBYSHIRE_2016_CRC).pk)
    assert "Management oversight" in [t.name for t in crc.shared_themes]


def test_outcomes_of_earlier_actions_are_counted(published):
    director = DirectorFactory(username="director", unit=published["east-midlands"])
    old = _rec(DERBYSHIRE_2016_CRC)
    owner = UserFactory(username="owner", unit=published["east-midlands"])
    for status in (ActionStatus.VERIFIED, ActionStatus.COMPLETED, ActionStatus.IN_PROGRESS, ActionStatus.CANCELLED):
        stamps = {}
        if status in (ActionStatus.VERIFIED, ActionStatus.COMPLETED):
            stamps = {"completed_at": timezone.now(), "completed_by": owner}
        if status == ActionStatus.VERIFIED:
            stamps |= {"verified_at": timezone.now(), "verified_by": director}
        ActionFactory(recommendation=old, unit=published["east-midlands"], owner=owner, status=status, **stamps)
    crc = next(r for r in earlier_recommendations(director, _rec(DERBYSHIRE_2025)) if r.pk == old.pk)
    assert (crc.actions_total, crc.actions_completed, crc.actions_verified) == (3, 2, 1)


def test_the_themes_page(client, published):
    director = DirectorFactory(username="director", unit=published["east-midlands"])
    client.force_login(director)
    html = client.get(reverse("reporting:themes"), {"theme": "management-oversight"}).content.decode()
    assert "Management oversight" in html
    assert "Recurring: 2 inspections" in html
    assert "Quality &amp; Impact inspection: The effectiveness of probation work in Derbyshire (2016)" in html
    assert reverse("recommendations:recommendation_detail", args=[_rec(DERBYSHIRE_2025).pk]) in html
    assert "No actions recorded" in html


def test_the_themes_page_keeps_to_scope(client, published):
    leader = UserFactory(username="llr.lead", unit=published["leicester-leicestershire-rutland"])
    client.force_login(leader)
    html = client.get(reverse("reporting:themes")).content.decode()
    assert "Leicester, Leicestershire and Rutland PDU" in html
    assert "Derby City PDU" not in html and "Derbyshire PDU" not in html


def test_the_earlier_recommendations_include(published):
    viewer = NationalViewerFactory(username="viewer", unit=published["hmpps"])
    request = RequestFactory().get("/")
    request.user = viewer
    template = Template("{% load reporting_tags %}{% earlier_recommendations recommendation %}")
    with time_machine.travel(dt.datetime(2026, 1, 15, tzinfo=dt.UTC)):
        html = template.render(Context({"request": request, "recommendation": _rec(DERBYSHIRE_2025)}))
    assert "Made before" in html
    assert "Quality &amp; Impact inspection" in html
    assert "Management oversight" in html
