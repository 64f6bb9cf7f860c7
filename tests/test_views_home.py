"""My work: the signed-in user's actions grouped by what needs doing, and the next inspection."""

import datetime as dt
import itertools
import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from recommendations.models import ActionStatus
from tests.factories import ActionFactory, InspectionFactory, RecommendationFactory
from tests.web_world import build_world, queries_for

pytestmark = pytest.mark.django_db
HOME = reverse("recommendations:home")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world():
    return build_world()


def _sections(html):
    """Section heading → the HTML up to the next heading."""
    parts = html.split('<h2 class="govuk-heading-m">')[1:]
    return {part.split("</h2>")[0].split(" (")[0]: part for part in parts}


def test_groups_own_actions_by_what_needs_doing(client, world):
    rec = world.recommendation
    ActionFactory(
        recommendation=rec,
        owner=world.leader,
        description="Overdue audit",
        due_date=dt.date(2026, 6, 1),
        original_due_date=dt.date(2026, 6, 1),
        start_date=dt.date(2026, 1, 1),
    )
    ActionFactory(
        recommendation=rec,
        owner=world.leader,
        description="Due soon training",
        due_date=dt.date(2026, 7, 10),
        original_due_date=dt.date(2026, 7, 10),
    )
    ActionFactory(
        recommendation=rec,
        owner=world.leader,
        description="Far off review",
        due_date=dt.date(2026, 12, 1),
        original_due_date=dt.date(2026, 12, 1),
    )
    ActionFactory(
        recommendation=rec,
        owner=world.leader,
        description="Done and waiting",
        status=ActionStatus.COMPLETED,
        completed_at=timezone.now(),
        completed_by=world.leader,
    )
    ActionFactory(
        recommendation=rec,
        owner=world.leader,
        description="Sent back",
        returned_at=timezone.now(),
        returned_by=world.director,
        return_reason="Need the audit",
    )
    ActionFactory(
        recommendation=rec,
        owner=world.other_leader,
        description="Someone else's overdue",
        due_date=dt.date(2026, 6, 1),
        original_due_date=dt.date(2026, 6, 1),
        start_date=dt.date(2026, 1, 1),
    )
    client.force_login(world.leader)
    sections = _sections(client.get(HOME).content.decode())

    assert "Overdue audit" in sections["Overdue"]
    assert "Someone else" not in sections["Overdue"]
    assert "Due soon training" in sections["Due in the next 30 days"]
    assert "Far off review" not in "".join(sections.values())
    assert "Done and waiting" in sections["Awaiting verification"]
    assert "Sent back" in sections["Returned for more evidence"]


def test_a_returned_overdue_action_is_listed_once_marked_overdue_with_the_derived_rag_named(client, world):
    ActionFactory(
        recommendation=world.recommendation,
        owner=world.leader,
        description="Sent back and late",
        due_date=dt.date(2026, 6, 1),
        original_due_date=dt.date(2026, 6, 1),
        start_date=dt.date(2026, 1, 1),
        returned_at=timezone.now(),
        returned_by=world.director,
        return_reason="Need the audit",
    )
    client.force_login(world.leader)
    html = client.get(HOME).content.decode()
    sections = _sections(html)

    assert html.count("Sent back and late") == 1
    assert "Sent back and late" in sections["Returned for more evidence"]
    assert "14 days overdue" in sections["Returned for more evidence"]
    assert '<th scope="col" class="govuk-table__header">Derived RAG</th>' in html


def test_director_sees_completed_actions_in_region_waiting_for_them(client, world):
    world.action.status = ActionStatus.COMPLETED
    world.action.completed_at = timezone.now()
    world.action.completed_by = world.leader
    world.action.save()
    far = ActionFactory(
        recommendation__inspection__unit=world.far_pdu,
        description="Welsh action",
        status=ActionStatus.COMPLETED,
        completed_at=timezone.now(),
        completed_by=world.far_leader,
    )
    assert far.unit == world.far_pdu
    client.force_login(world.director)
    sections = _sections(client.get(HOME).content.decode())
    waiting = sections["Waiting for you to verify"]
    assert reverse("recommendations:action_detail", args=[world.action.pk]) in waiting
    assert "Welsh action" not in waiting


def test_days_until_next_inspection_of_own_unit(client, world):
    InspectionFactory(unit=world.pdu, next_inspection_expected=dt.date(2026, 9, 1))  # earlier: not the latest
    client.force_login(world.leader)
    html = client.get(HOME).content.decode()
    assert "expected on <strong>1 March 2027</strong>: <strong>259 days</strong> from today" in html


def test_says_plainly_when_no_next_inspection_is_set(client, world):
    client.force_login(world.other_leader)
    html = client.get(HOME).content.decode()
    assert "No date has been set for the next inspection of Derbyshire" in html


def test_director_sees_next_inspection_of_region(client, world):
    InspectionFactory(unit=world.region, next_inspection_expected=dt.date(2026, 7, 15))
    client.force_login(world.director)
    html = client.get(HOME).content.decode()
    assert "<strong>30 days</strong> from today" in html


def test_action_text_is_escaped(client, world):
    ActionFactory(
        recommendation=world.recommendation,
        owner=world.leader,
        description="<script>alert(1)</script>",
        due_date=dt.date(2026, 6, 20),
        original_due_date=dt.date(2026, 6, 20),
    )
    client.force_login(world.leader)
    html = client.get(HOME).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


_numbers = itertools.count(100)


def _add_work(world, count, *, role):
    """Actions that show on the user's page: own overdue ones, or for a director completed ones to verify."""
    for index in range(count):
        rec = RecommendationFactory(inspection=world.inspection, addressed_to=world.pdu, number=next(_numbers))
        due = dt.date(2026, 6, 1) + dt.timedelta(days=index)
        action = ActionFactory(
            recommendation=rec, owner=world.leader, due_date=due, original_due_date=due, start_date=None
        )
        if role == "director":
            action.status = ActionStatus.COMPLETED
            action.completed_at = timezone.now()
            action.completed_by = world.leader
            action.save()


@pytest.mark.parametrize("role", ["leader", "director"])
def test_query_count_does_not_grow_with_data(client, world, django_assert_num_queries, role):
    user = getattr(world, role)
    client.force_login(user)
    client.get(HOME)  # warm the session
    _add_work(world, 2, role=role)
    small = queries_for(client, HOME)
    _add_work(world, 12, role=role)
    with django_assert_num_queries(small):
        response = client.get(HOME)
    assert response.status_code == 200
    assert response.content.decode().count("govuk-table__row") > 12


def test_director_of_a_region_without_its_own_date_sees_the_soonest_of_its_units(client, world):
    InspectionFactory(unit=world.other_pdu, next_inspection_expected=dt.date(2026, 5, 1))  # passed: not next
    InspectionFactory(unit=world.other_pdu, next_inspection_expected=dt.date(2026, 10, 1))
    client.force_login(world.director)
    html = client.get(HOME).content.decode()
    assert "The next inspection of Derbyshire is expected on <strong>1 October 2026</strong>" in html
    assert "No date has been set" not in html


def test_a_national_user_is_not_told_hmpps_has_no_inspection_date(client, world):
    client.force_login(world.viewer)
    html = client.get(HOME).content.decode()
    assert "No date has been set" not in html and "next inspection of" not in html


def _overdue_actions(world, n, *, owner=None, **fields):
    for day in range(n):
        ActionFactory(
            recommendation=world.recommendation,
            owner=owner or world.leader,
            description=f"Late action {day:02d}",
            due_date=dt.date(2026, 5, 1) + dt.timedelta(days=day),
            original_due_date=dt.date(2026, 5, 1) + dt.timedelta(days=day),
            start_date=dt.date(2026, 1, 1),
            **fields,
        )


def test_a_long_section_lists_the_soonest_due_and_links_to_all_of_them_on_the_plan(client, world):
    _overdue_actions(world, 23)
    client.force_login(world.leader)
    overdue = _sections(client.get(HOME).content.decode())["Overdue"]

    assert overdue.startswith("Overdue (23)")
    assert overdue.count("Late action") == 20
    assert "Late action 00" in overdue and "Late action 19" in overdue and "Late action 20" not in overdue
    link = re.search(r'Showing the 20 soonest due of 23: <a class="govuk-link" href="([^"]+)">', overdue)
    plan = client.get(unescape(link.group(1))).content.decode()
    assert "Showing 1 to 23 of 23 actions" in plan


def test_a_director_sees_the_first_of_many_actions_to_verify_and_all_of_them_on_the_plan(client, world):
    _overdue_actions(world, 25, status=ActionStatus.COMPLETED, completed_at=timezone.now(), completed_by=world.leader)
    client.force_login(world.director)
    waiting = _sections(client.get(HOME).content.decode())["Waiting for you to verify"]

    assert waiting.startswith("Waiting for you to verify (25)")
    assert waiting.count("Late action") == 20
    link = re.search(r'Showing the 20 soonest due of 25: <a class="govuk-link" href="([^"]+)">', waiting)
    plan = client.get(unescape(link.group(1))).content.decode()
    assert "Showing 1 to 25 of 25 actions" in plan
