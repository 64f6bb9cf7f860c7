"""How the action plan page reads the database: its scope built once, its filters' lists in one query each."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Action, OrgUnit, Recommendation
from recommendations.selectors.action_plan import action_plan, unanswered_recommendations
from tests.plan_data import build_organisation, bulk_plan

pytestmark = pytest.mark.django_db

PLAN = reverse("recommendations:action_plan")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def org():
    org = build_organisation()
    bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=6, recommendations=3)
    return org


def test_the_plan_builds_the_users_visible_units_once(org, monkeypatch):
    built = []
    visible_to = OrgUnit.objects.visible_to

    def counting(user):
        built.append(user)
        return visible_to(user)

    monkeypatch.setattr(OrgUnit.objects, "visible_to", counting)
    plan = action_plan(user=org.director, today=timezone.localdate(), params={"unit": org.derby_city.slug})
    list(plan.actions)
    list(plan.unanswered)
    plan.filterset.form.as_p()
    assert len(built) == 1


def _plan_read_again(client, user):
    """The plan as `user` opens it a second time (the first signs in and warms up), and its queries."""
    client.force_login(user)
    client.get(PLAN)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PLAN)
    assert response.status_code == 200
    return response, captured


def test_a_directors_plan_reads_their_units_once_and_tests_the_rows_against_their_pks(client, org):
    response, captured = _plan_read_again(client, org.director)
    assert "Showing 1 to 6 of 6 actions" in response.content.decode()
    counted = [query["sql"] for query in captured if query["sql"].startswith("SELECT COUNT(*)")]
    assert len(counted) == 1
    # The units are values in the count, not the region's membership query compiled into it.
    assert "recommendations_orgunit" not in counted[0]
    assert f"{org.derby_city.pk}" in counted[0]


def test_the_plans_filter_lists_are_read_without_server_side_cursors(client, org):
    response, captured = _plan_read_again(client, org.director)
    assert f">{org.derby_lead.get_full_name()}</option>" in response.content.decode()
    assert not [query["sql"] for query in captured if query["sql"].startswith("DECLARE")]


def test_a_page_of_the_plan_reads_only_what_its_cells_show(client, org):
    client.force_login(org.director)
    client.get(PLAN)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PLAN)
    assert "Showing 1 to 6 of 6 actions" in response.content.decode()
    page_query = next(q["sql"] for q in captured if '"recommendations_action"."description"' in q["sql"])
    for unshown in ('"recommendations_inspection"."summary"', '"recommendations_recommendation"."text"', "password"):
        assert unshown not in page_query


def test_a_download_reads_only_the_columns_it_writes(org):
    plan = action_plan(user=org.director, today=timezone.localdate())
    rows = list(plan.rows(columns=["rec_text"]))
    assert len(rows) == len(list(plan.rows()))
    assert "latest_update" not in rows[0] and "owner_name" not in rows[0]
    assert rows[0]["rec_text"] and "addressee_name" in rows[0]


def test_server_side_cursors_are_planned_for_reading_every_row():
    # A download reads its cursor to the end: planned for the first tenth, a region's CSV took three times as long.
    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        assert cursor.fetchone()[0] == "1"


def test_a_national_viewers_owner_list_asks_each_person_rather_than_reading_every_action(org):
    plan = action_plan(user=org.viewer, today=timezone.localdate())
    owners = plan.filterset.form.fields["owner"].queryset
    assert list(owners) == [org.derby_lead]
    assert "DISTINCT" not in str(owners.query)


def test_recommendations_with_no_live_action_are_found_by_looking_up_their_first_action(org):
    unanswered = unanswered_recommendations(user=org.viewer)
    sql = str(unanswered.query)
    assert "NOT EXISTS" not in sql and "IS NULL" in sql
    assert {r.pk for r in unanswered} == {
        r.pk for r in Recommendation.objects.all() if not Action.objects.live().filter(recommendation=r).exists()
    }
