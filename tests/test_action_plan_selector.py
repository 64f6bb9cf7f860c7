"""The action plan: scope, recommendations with no action yet, computed columns and every filter."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from recommendations.models import ActionStatus, Response, Theme
from recommendations.models.rag import derive_rag, is_self_rating_optimistic
from recommendations.selectors.action_plan import action_plan
from tests.factories import ActionFactory, LinkEvidenceFactory, RecommendationFactory, UserFactory
from tests.plan_data import TODAY, build_organisation, bulk_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def org():
    return build_organisation()


def rows(user=None, **params):
    return list(action_plan(user=user, today=TODAY, params=params).rows())


def action_descriptions(found):
    return {row["action_text"] for row in found if row["action_pk"]}


def test_a_recommendation_without_an_action_has_its_own_row_in_downloads(org):
    action = ActionFactory(recommendation__inspection__unit=org.derby_city, owner=org.derby_lead)
    waiting = RecommendationFactory(inspection=action.recommendation.inspection, number=7)

    found = rows(org.derby_lead)

    assert len(found) == 2
    no_action = next(row for row in found if row["action_pk"] is None)
    assert no_action["rec_pk"] == waiting.pk
    assert no_action["plan_status"] == "no_action"
    assert no_action["unit_pk"] == org.derby_city.pk
    assert no_action["evidence_count"] == 0


def test_each_role_sees_its_scope(org):
    bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=6, recommendations=3)
    bulk_plan(unit=org.derbyshire, owner=org.derbyshire_lead, verifier=org.director, actions=4, recommendations=3)
    bulk_plan(unit=org.cardiff, owner=UserFactory(unit=org.cardiff), verifier=org.wales_director, actions=5)

    derby = rows(org.derby_lead)
    assert {row["unit_pk"] for row in derby} == {org.derby_city.pk}
    assert len(derby) == 6 + 1  # six actions and one recommendation without an action

    region = rows(org.director)
    assert {row["unit_pk"] for row in region} == {org.derby_city.pk, org.derbyshire.pk}
    assert len(region) == (6 + 1) + (4 + 1)

    everything = rows(org.viewer)
    assert len(everything) == (6 + 1) + (4 + 1) + (5 + 1)
    assert len(rows(None)) == len(everything)


def test_columns_follow_the_action(org):
    action = ActionFactory(
        recommendation__inspection__unit=org.derby_city,
        recommendation__response=Response.AGREED,
        owner=org.derby_lead,
        original_due_date=dt.date(2026, 12, 31),
        due_date=dt.date(2027, 3, 31),
        status=ActionStatus.IN_PROGRESS,
        self_rag="green",
        last_update_at=timezone.now() - dt.timedelta(days=3),
    )
    LinkEvidenceFactory(action=action)
    LinkEvidenceFactory(action=action, withdrawn_at=timezone.now(), withdrawal_reason="Wrong file")

    (row,) = rows(org.derby_lead)

    assert row["owner_name"] == "Dana Derby"
    assert row["addressee_name"] == "Derby City"
    assert row["rec_response"] == Response.AGREED
    assert (row["due_original"], row["due_current"]) == (dt.date(2026, 12, 31), dt.date(2027, 3, 31))
    assert row["evidence_count"] == 1  # the withdrawn one does not count
    assert row["rag_derived"] == "green"
    assert row["is_overdue"] is False


def test_an_overdue_action_is_derived_red_and_flags_a_greener_self_rating(org):
    action = ActionFactory(
        recommendation__inspection__unit=org.derby_city,
        owner=org.derby_lead,
        original_due_date=dt.date(2026, 10, 1),
        due_date=dt.date(2026, 10, 1),
        start_date=None,
        self_rag="green",
    )
    (row,) = rows(org.derby_lead)
    assert row["is_overdue"] is True
    assert row["rag_derived"] == derive_rag(
        status=action.status,
        due_date=action.due_date,
        last_activity_at=action.created_at,
        has_evidence=False,
        today=TODAY,
    )
    assert row["rag_derived"] == "red"
    assert is_self_rating_optimistic(self_rag=row["rag_self"], derived=row["rag_derived"])


@pytest.fixture
def mixed_plan(org):
    """Two PDUs' plans, themes on one recommendation, and a region-addressed recommendation."""
    derby_inspection, derby_recs, derby_actions = bulk_plan(
        unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=21, recommendations=4
    )
    shire_inspection, shire_recs, shire_actions = bulk_plan(
        unit=org.derbyshire, owner=org.derbyshire_lead, verifier=org.director, actions=14, recommendations=3
    )
    oversight = Theme.objects.create(slug="management-oversight", name="Management oversight")
    derby_recs[0].themes.add(oversight)
    to_region = RecommendationFactory(inspection=derby_inspection, number=9, addressed_to=org.east_midlands)
    return {
        "derby_inspection": derby_inspection,
        "derby_recs": derby_recs,
        "derby_actions": derby_actions,
        "shire_inspection": shire_inspection,
        "shire_actions": shire_actions,
        "theme": oversight,
        "to_region": to_region,
    }


def test_filter_by_inspection(org, mixed_plan):
    found = rows(org.director, inspection=str(mixed_plan["derby_inspection"].pk))
    assert found
    assert {row["inspection_pk"] for row in found} == {mixed_plan["derby_inspection"].pk}
    assert len(found) < len(rows(org.director))


def test_filter_by_unit_and_addressee(org, mixed_plan):
    by_unit = rows(org.director, unit="derbyshire")
    assert by_unit and {row["unit_pk"] for row in by_unit} == {org.derbyshire.pk}

    to_region = rows(org.director, addressee="east-midlands")
    assert [row["rec_pk"] for row in to_region] == [mixed_plan["to_region"].pk]
    assert to_region[0]["plan_status"] == "no_action"


def test_filter_by_theme(org, mixed_plan):
    found = rows(org.director, theme="management-oversight")
    assert found
    assert {row["rec_pk"] for row in found} == {mixed_plan["derby_recs"][0].pk}


def test_filter_by_owner(org, mixed_plan):
    found = rows(org.director, owner=str(org.derbyshire_lead.pk))
    assert len(found) == 14
    assert {row["owner_pk"] for row in found} == {org.derbyshire_lead.pk}


def test_filter_by_status_including_no_action(org, mixed_plan):
    found = rows(org.director, status=["blocked", "no_action"])
    assert {row["plan_status"] for row in found} == {"blocked", "no_action"}
    assert sum(row["plan_status"] == "no_action" for row in found) == 3  # one per inspection, and the region's


def test_filter_by_self_and_derived_rag(org, mixed_plan):
    self_red = rows(org.director, rag=["red"])
    assert self_red and {row["rag_self"] for row in self_red} == {"red"}

    derived = rows(org.director, derived_rag=["amber", "green"])
    assert derived and {row["rag_derived"] for row in derived} <= {"amber", "green"}
    every_derived = [row["rag_derived"] for row in rows(org.director) if row["action_pk"]]
    assert len(derived) == sum(rag in ("amber", "green") for rag in every_derived)


def test_filter_by_overdue(org, mixed_plan):
    overdue = rows(org.director, overdue="yes")
    not_overdue = rows(org.director, overdue="no")
    assert overdue and all(row["is_overdue"] for row in overdue)
    assert all(
        row["due_current"] < TODAY and row["plan_status"] in ("not_started", "in_progress", "blocked")
        for row in overdue
    )
    assert not any(row["is_overdue"] for row in not_overdue)
    # Only an action can be overdue or not: recommendations with no action are left out of both.
    assert len(overdue) + len(not_overdue) == sum(row["action_pk"] is not None for row in rows(org.director))


def test_filter_by_due_date_range(org, mixed_plan):
    found = rows(org.director, due_from="10/10/2026", due_to="2026-10-15")
    assert len(found) == 6 + 6  # 6 days' worth of actions in each PDU
    assert all(dt.date(2026, 10, 10) <= row["due_current"] <= dt.date(2026, 10, 15) for row in found)
    assert not any(row["plan_status"] == "no_action" for row in found)


def test_bad_filter_values_are_reported_and_ignored(org, mixed_plan):
    result = action_plan(
        user=org.director, today=TODAY, params={"due_from": "31/2/2026", "unit": "cardiff", "status": ["done"]}
    )
    errors = result.filterset.errors
    assert errors["due_from"] == ["Enter a real date, for example 27/3/2026"]
    assert errors["unit"] == ["Choose a unit from the list"]  # Cardiff is outside the director's region
    assert errors["status"] == ["Choose a status from the list"]
    assert len(list(result.rows())) == len(rows(org.director))


def test_a_backwards_date_range_is_an_error(org, mixed_plan):
    result = action_plan(user=org.director, today=TODAY, params={"due_from": "1/12/2026", "due_to": "1/11/2026"})
    assert "due_to" in result.filterset.errors


def test_rows_sort_by_derived_rag_worst_first(org, mixed_plan):
    plan = action_plan(user=org.director, today=TODAY)
    ratings = [row["rag_derived"] for row in plan.rows(ordering=("derived_rag_rank", "pk")) if row["action_pk"]]
    worst_first = {"red": 0, "amber": 1, "green": 2, "": 3}
    assert ratings == sorted(ratings, key=worst_first.get)
    assert ratings[0] == "red"


def test_units_narrow_an_operator_export(org, mixed_plan):
    found = list(action_plan(today=TODAY, units=[org.derbyshire]).rows())
    assert len(found) == 14 + 1
    assert {row["unit_pk"] for row in found} == {org.derbyshire.pk}
