"""The actions a region's figures hold are read by their units, not by scanning the country's.

`Action.objects.answering_for` has two arms: the units' own actions, and HMPPS's on the units'
inspections. Each arm must be an index scan on the action's unit: when the national arm tested
the joined unit's kind, PostgreSQL read every completed action in the country to find a
director's few to verify (110 ms of the director's home page at 500,000 actions).
"""

import json

import pytest
from django.db import connection
from django.utils import timezone

from recommendations import scope
from recommendations.models import ActionStatus
from tests.conftest import skip_or_fail
from tests.factories import (
    ActionFactory,
    DirectorFactory,
    InspectionFactory,
    NationalUnitFactory,
    PDUFactory,
    RecommendationFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ELSEWHERE = 40  # completed actions in another region, which the director's query must not read


def _action_rows_read(queryset) -> int:
    """The rows PostgreSQL read from the actions table to answer `queryset`. Sequential scans
    are turned off, so that the few rows of a test database are read as a large table's would be."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def rows(node):
        own = node["Actual Rows"] * node["Actual Loops"] if node.get("Relation Name") == "recommendations_action" else 0
        return own + sum(rows(child) for child in node.get("Plans", []))

    return rows(plan[0]["Plan"])


def test_a_directors_actions_to_verify_are_read_from_their_regions_units_not_the_countrys():
    if connection.vendor != "postgresql":
        skip_or_fail("Query plans are PostgreSQL's")
    national = NationalUnitFactory()
    east = RegionFactory(slug="east", parent=national)
    west = RegionFactory(slug="west", parent=national)
    derby, brum = PDUFactory(slug="derby", parent=east), PDUFactory(slug="brum", parent=west)
    director = DirectorFactory(unit=east)
    derby_inspection = InspectionFactory(unit=derby)
    completed = {
        "status": ActionStatus.COMPLETED,
        "completed_at": timezone.now(),
        "completed_by": UserFactory(unit=derby),
    }
    mine = [
        ActionFactory(recommendation=RecommendationFactory(inspection=derby_inspection, number=1), **completed),
        # HMPPS's action on Derby's inspection: the region's director verifies it too.
        ActionFactory(
            recommendation=RecommendationFactory(inspection=derby_inspection, number=2, addressed_to=national),
            **completed,
        ),
    ]
    brum_recommendation = RecommendationFactory(inspection=InspectionFactory(unit=brum), addressed_to=brum)
    ActionFactory.create_batch(ELSEWHERE, recommendation=brum_recommendation, **completed)

    to_verify = scope.actions_awaiting_verification_by(director)

    assert set(to_verify) == set(mine)
    assert _action_rows_read(to_verify) < ELSEWHERE
