"""The inspection page: published ratings and key questions, and progress on each recommendation."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from recommendations.models import ActionStatus, KeyQuestionResult, Rating, Response, StandardRating
from tests.factories import ActionFactory, InspectionFactory, RecommendationFactory
from tests.web_world import build_world, file_evidence, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world():
    world = build_world()
    StandardRating.objects.create(
        inspection=world.inspection,
        domain="Court work and case supervision",
        code="2.2",
        name="Assessment",
        rating=Rating.INADEQUATE,
    )
    StandardRating.objects.create(
        inspection=world.inspection,
        domain="Organisational delivery",
        code="1.1",
        name="Leadership",
        rating=Rating.GOOD,
    )
    KeyQuestionResult.objects.create(
        inspection=world.inspection,
        section="Assessment",
        question="Does assessment focus on keeping other people safe?",
        percentage=Decimal("40.5"),
    )
    return world


def _page(client, world, user=None):
    client.force_login(user or world.leader)
    return client.get(reverse("recommendations:inspection_detail", args=[world.inspection.pk])).content.decode()


def test_shows_ratings_score_and_key_questions(client, world):
    html = _page(client, world)
    assert (
        "<title>An inspection of probation services in Derby City PDU (2025) – Inspection action plan tracker" in html
    )
    assert html.count("<h1") == 1
    assert "11/27" in html
    assert '<strong class="govuk-tag govuk-tag--orange">Requires improvement</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--red">Inadequate</strong>' in html
    # Standards in code order.
    assert html.index("1.1 Leadership") < html.index("2.2 Assessment")
    assert "40.5%" in html
    assert "1 March 2027" in html


def test_recommendation_progress_counts_done_actions_and_current_evidence(client, world):
    rec = world.recommendation
    done = ActionFactory(
        recommendation=rec,
        owner=world.leader,
        status=ActionStatus.VERIFIED,
        completed_at=timezone.now(),
        completed_by=world.leader,
        verified_at=timezone.now(),
        verified_by=world.director,
    )
    ActionFactory(recommendation=rec, owner=world.leader, status=ActionStatus.CANCELLED)
    file_evidence(done)
    rec.response = Response.AGREED
    rec.save()
    html = _page(client, world)
    row = html.split(reverse("recommendations:recommendation_detail", args=[rec.pk]))[1].split("</tr>")[0]
    # Three live actions (the cancelled one aside): the world's, the verified one; evidence: 2 + 1.
    assert "1 of 2" in row
    assert ">3<" in row
    assert "Agreed" in row


def test_pdu_leader_sees_only_recommendations_in_scope(client, world):
    other = InspectionFactory(unit=world.other_pdu)
    world.inspection.related_inspections.add(other)
    html = _page(client, world)
    assert reverse("recommendations:inspection_detail", args=[other.pk]) not in html
    html = _page(client, world, world.director)
    assert reverse("recommendations:inspection_detail", args=[other.pk]) in html


def test_query_count_does_not_grow_with_recommendations(client, world, django_assert_num_queries):
    numbers = itertools.count(20)
    url = reverse("recommendations:inspection_detail", args=[world.inspection.pk])
    client.force_login(world.director)
    client.get(url)

    def add(count):
        for _ in range(count):
            rec = RecommendationFactory(inspection=world.inspection, addressed_to=world.pdu, number=next(numbers))
            file_evidence(ActionFactory(recommendation=rec, owner=world.leader))
            StandardRating.objects.create(
                inspection=world.inspection, code=f"9.{next(numbers)}", name="Extra", rating=Rating.GOOD
            )

    add(1)
    small = queries_for(client, url)
    add(10)
    with django_assert_num_queries(small):
        client.get(url)


def test_the_published_report_is_named_by_its_title_not_the_file_it_was_read_from(client, world):
    world.inspection.source_document = "000_d51354b6beb8521a.txt – An inspection of probation services: Derby City"
    world.inspection.save()
    client.force_login(world.leader)
    html = client.get(reverse("recommendations:inspection_detail", args=[world.inspection.pk])).content.decode()
    assert "An inspection of probation services: Derby City" in html
    assert "000_d51354b6beb8521a.txt" not in html
