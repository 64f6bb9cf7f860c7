"""Each list and dashboard costs the same number of queries with 10 actions as with 1,000."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.models import Action
from tests.plan_data import build_organisation, bulk_plan

pytestmark = pytest.mark.django_db

PAGES = {
    "action plan": (reverse("recommendations:action_plan"), {}),
    "action plan, filtered and sorted": (
        reverse("recommendations:action_plan"),
        {
            "status": ["in_progress", "blocked", "no_action"],
            "overdue": "yes",
            "unit": "derby-city",
            "sort": "-derived_rag",
        },
    ),
    "action plan CSV": (reverse("recommendations:action_plan_csv"), {"derived_rag": ["red", "amber"]}),
    "regional dashboard": (reverse("recommendations:regional_dashboard", args=["east-midlands"]), {}),
    "national dashboard": (reverse("recommendations:national_dashboard"), {}),
}


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def queries_for(client, url, params):
    # The dashboards' figures are worked out from their queries, none cached, each time.
    caches["figures"].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
        else:
            assert response.content
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_the_plan(client, page, django_assert_num_queries):
    url, params = PAGES[page]
    org = build_organisation()
    bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=6, recommendations=3)
    bulk_plan(unit=org.derbyshire, owner=org.derbyshire_lead, verifier=org.director, actions=4, recommendations=2)
    assert Action.objects.count() == 10
    client.force_login(org.viewer)
    queries_for(client, url, params)  # the first request settles the session
    with_ten = queries_for(client, url, params)

    bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=594, recommendations=30)
    bulk_plan(unit=org.derbyshire, owner=org.derbyshire_lead, verifier=org.director, actions=396, recommendations=20)
    assert Action.objects.count() == 1000
    with django_assert_num_queries(with_ten):
        queries_for(client, url, params)
    print(f"{page}: {with_ten} queries with 10 actions and with 1,000")
