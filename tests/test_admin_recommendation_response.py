"""The response to a recommendation recorded from the admin goes through the service the pages use."""

import pytest
import tablib
from django.urls import reverse

from recommendations.models import Recommendation, Response
from recommendations.resources import RecommendationResource
from tests.web_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def administrator(world):
    world.director.is_superuser = world.director.is_staff = True
    world.director.save()
    return world.director


def _post_response(client, recommendation, *, response, rationale):
    url = reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
    data = {
        "inspection": recommendation.inspection_id,
        "number": recommendation.number,
        "addressed_to": recommendation.addressed_to_id,
        "addressees": [recommendation.addressed_to_id],
        "text": recommendation.text,
        "response": response,
        "response_rationale": rationale,
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "1",
        "actions-0-id": recommendation.actions.get().pk,
        "actions-0-recommendation": recommendation.pk,
    }
    return client.post(url, data)


def test_a_response_saved_in_the_admin_is_stamped_with_who_recorded_it(client, world, administrator):
    client.force_login(administrator)
    response = _post_response(client, world.recommendation, response=Response.AGREED, rationale="")
    assert response.status_code == 302
    recommendation = Recommendation.objects.get(pk=world.recommendation.pk)
    assert recommendation.response == Response.AGREED
    assert recommendation.response_recorded_by == administrator
    assert recommendation.response_recorded_at is not None
    assert recommendation.history.latest().history_user == administrator


def test_a_partly_agreed_response_without_its_reason_is_refused_in_the_admin(client, world, administrator):
    client.force_login(administrator)
    response = _post_response(client, world.recommendation, response=Response.PARTLY_AGREED, rationale="  ")
    assert response.status_code == 200
    assert "Explain why the recommendation is not fully agreed." in response.content.decode()
    recommendation = Recommendation.objects.get(pk=world.recommendation.pk)
    assert (recommendation.response, recommendation.response_recorded_by) == ("", None)


def test_the_inspection_page_in_the_admin_shows_responses_without_changing_them(client, world, administrator):
    client.force_login(administrator)
    page = client.get(reverse("admin:recommendations_inspection_change", args=[world.inspection.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="recommendations-0-number"' in html
    assert 'name="recommendations-0-response"' not in html
    assert 'name="recommendations-0-response_rationale"' not in html


def _import(recommendation, *, response, rationale, user):
    dataset = tablib.Dataset(
        headers=["inspection_id", "number", "addressed_to", "text", "response", "response_rationale"]
    )
    dataset.append(
        [recommendation.inspection_id, recommendation.number, recommendation.addressed_to.slug, recommendation.text]
        + [response, rationale]
    )
    return RecommendationResource().import_data(dataset, dry_run=False, user=user)


def test_a_response_imported_in_the_admin_is_recorded_through_the_service(world, administrator):
    result = _import(world.recommendation, response=Response.NOT_AGREED, rationale="", user=administrator)
    assert result.has_validation_errors()
    assert Recommendation.objects.get(pk=world.recommendation.pk).response == ""

    result = _import(world.recommendation, response=Response.NOT_AGREED, rationale="Staffing", user=administrator)
    assert not result.has_errors() and not result.has_validation_errors()
    recommendation = Recommendation.objects.get(pk=world.recommendation.pk)
    assert recommendation.response == Response.NOT_AGREED
    assert recommendation.response_recorded_by == administrator
