"""The list of inspections, the header's Admin link and the phase banner's feedback link."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from recommendations.models import Rating, Role
from tests.factories import InspectionFactory, UserFactory
from tests.web_world import build_world, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.cardiff_inspection = InspectionFactory(
        unit=world.far_pdu,
        title="An inspection of probation services in Cardiff PDU",
        overall_rating=Rating.GOOD,
        published_on=dt.date(2024, 11, 5),
        next_inspection_expected=dt.date(2028, 1, 10),
    )
    return world


def _list(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("recommendations:inspection_list") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_pdu_leader_sees_only_the_inspections_of_their_own_unit(client, world):
    html = _list(client, world.leader)
    assert "An inspection of probation services in Derby City PDU" in html
    assert "Cardiff" not in html


def test_each_inspection_shows_its_rating_publication_and_next_inspection(client, world):
    html = _list(client, world.viewer)
    assert "Requires improvement" in html and "Score 11/27" in html
    assert "20 May 2025" in html and "1 March 2027" in html
    assert "Good" in html and "5 November 2024" in html and "10 January 2028" in html
    # Newest first, each linking to its page.
    assert html.index("Derby City PDU") < html.index("Cardiff PDU")
    assert reverse("recommendations:inspection_detail", args=[world.cardiff_inspection.pk]) in html


def test_each_cell_names_its_column_for_the_stacked_phone_layout(client, world):
    html = _list(client, world.leader)
    assert 'data-label="Next inspection expected"' in html


def test_the_list_pages_with_a_constant_number_of_queries(client, world):
    for n in range(60):
        InspectionFactory(unit=world.far_pdu, title=f"Thematic {n:02}", published_on=dt.date(2020, 1, 1))
    html = _list(client, world.viewer, "?page=2")
    assert 'aria-label="Page 2" aria-current="page"' in html
    assert _list(client, world.viewer, "?page=not-a-number")  # a bad page number shows the first page
    # The session and user, the count for the pager, and one page of inspections with their units.
    assert queries_for(client, reverse("recommendations:inspection_list")) <= 4


def test_the_header_links_to_inspections_and_only_administrators_see_admin(client, world):
    html = _list(client, world.director)
    assert f'href="{reverse("recommendations:inspection_list")}"' in html
    assert f'href="{reverse("admin:index")}"' not in html

    admin = UserFactory(username="data.admin", role=Role.ADMINISTRATOR, is_staff=True, unit=None)
    html = _list(client, admin)
    assert re.search(r'href="/admin/"[^>]*>\s*Admin\s*</a>', html)


def test_the_phase_banner_has_a_feedback_link_inside_the_header_landmark(client, world, settings):
    settings.FEEDBACK_URL = "https://forms.example/tracker-feedback"
    html = _list(client, world.leader)
    header = html[html.index('<header class="govuk-template__header">') : html.index("</header>")]
    assert "govuk-phase-banner" in header
    assert 'href="https://forms.example/tracker-feedback">give your feedback</a>' in header
