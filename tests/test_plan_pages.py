"""Paging the action plan in two steps gives exactly the rows of the plan, in order."""

import pytest
from django.utils import timezone

from recommendations.models import Role, User
from recommendations.scale_data import ScaleSpec, generate
from recommendations.selectors.action_plan import DEFAULT_ORDERING, action_plan_rows

pytestmark = pytest.mark.django_db
PAGE = 7


@pytest.fixture
def plan_users():
    # Fewer actions than recommendations, so that some recommendations have no action yet.
    generate(
        ScaleSpec(regions=2, pdus_per_region=2, actions=40, updates_per_action=2, seed=5, today=timezone.localdate())
    )
    return {
        "director": User.objects.filter(role=Role.REGIONAL_DIRECTOR).order_by("id").first(),
        "national": User.objects.filter(role=Role.NATIONAL_VIEWER).order_by("id").first(),
        "leader": User.objects.filter(role=Role.PDU_LEADER).order_by("id").first(),
    }


def _key(row):
    return (row["action_pk"], row["rec_pk"])


@pytest.mark.parametrize("who", ["director", "national", "leader"])
@pytest.mark.parametrize(
    "ordering", [DEFAULT_ORDERING, ("due_current", "action_pk", "rec_pk"), ("-rag_derived_rank", "action_pk", "rec_pk")]
)
def test_every_page_holds_the_next_rows_of_the_plan(plan_users, who, ordering):
    plan = action_plan_rows(user=plan_users[who], today=timezone.localdate(), ordering=ordering)
    everything = list(plan.rows)
    assert any(row["action_pk"] is None for row in everything), "the data should include unanswered recommendations"

    pages = plan.pages.order_by(*ordering)
    assert pages.count() == len(everything)
    for start in range(0, len(everything) + PAGE, PAGE):
        page = pages[start : start + PAGE]
        assert [_key(row) for row in page] == [_key(row) for row in everything[start : start + PAGE]]
        assert page == everything[start : start + PAGE]


def test_filters_narrow_the_pages_as_they_narrow_the_rows(plan_users):
    params = {"status": ["in_progress", "no_action"]}
    plan = action_plan_rows(user=plan_users["national"], today=timezone.localdate(), params=params)
    everything = list(plan.rows)
    assert {row["plan_status"] for row in everything} == {"in_progress", "no_action"}
    assert plan.pages.count() == len(everything)
    assert plan.pages[0 : len(everything)] == everything
