"""Progress over time: a burn-up of actions completed and verified against the plan's total."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from recommendations.models import Action, ActionStatus
from reporting.selectors.progress import progress_by_month
from tests.factories import ActionFactory, DirectorFactory, PDUFactory, RecommendationFactory, UserFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _action_created(day, unit, **fields):
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 12, tzinfo=UTC), tick=False):
        recommendation = RecommendationFactory(inspection__unit=unit)
        return ActionFactory(recommendation=recommendation, start_date=None, **fields)


def _close(action, *, completed=None, verified=None, by):
    fields = {}
    if completed:
        fields |= {"status": ActionStatus.COMPLETED, "completed_at": completed, "completed_by": by}
    if verified:
        fields |= {"status": ActionStatus.VERIFIED, "verified_at": verified, "verified_by": by}
    Action.objects.filter(pk=action.pk).update(**fields)


@pytest.fixture
def unit_with_history():
    pdu = PDUFactory(name="Derby City PDU", slug="derby-city")
    director = DirectorFactory(username="director", unit=pdu.parent)
    a = _action_created(dt.date(2025, 10, 3), pdu)
    b = _action_created(dt.date(2025, 10, 20), pdu)
    c = _action_created(dt.date(2025, 11, 5), pdu)
    cancelled = _action_created(dt.date(2025, 11, 6), pdu)
    _action_created(dt.date(2025, 12, 1), pdu)
    _close(
        a, completed=dt.datetime(2025, 11, 10, tzinfo=UTC), verified=dt.datetime(2025, 12, 2, tzinfo=UTC), by=director
    )
    _close(b, completed=dt.datetime(2025, 12, 15, tzinfo=UTC), by=director)
    Action.objects.filter(pk=cancelled.pk).update(status=ActionStatus.CANCELLED)
    return pdu, director, c


def test_running_totals_by_month(unit_with_history, django_assert_num_queries):
    pdu, _director, _c = unit_with_history
    with django_assert_num_queries(1):
        months = progress_by_month(Action.objects.filter(unit=pdu), today=dt.date(2026, 1, 15))
    assert [(m.month, m.total, m.completed, m.verified) for m in months] == [
        (dt.date(2025, 10, 1), 2, 0, 0),
        (dt.date(2025, 11, 1), 3, 1, 0),  # the cancelled action is not counted
        (dt.date(2025, 12, 1), 4, 2, 1),
        (dt.date(2026, 1, 1), 4, 2, 1),  # a month with no change still has its point
    ]
    assert months[-1].as_at == dt.date(2026, 1, 15)
    assert months[0].as_at == dt.date(2025, 10, 31)


def test_the_query_count_does_not_grow_with_the_plan(unit_with_history, django_assert_num_queries):
    pdu, _director, _c = unit_with_history
    for day in range(1, 20):
        _action_created(dt.date(2025, 8, day), pdu)
    with django_assert_num_queries(1):
        progress_by_month(Action.objects.filter(unit=pdu), today=dt.date(2026, 1, 15))


def test_the_progress_page_shows_the_chart_and_the_table(client, unit_with_history):
    pdu, director, _c = unit_with_history
    client.force_login(director)
    with time_machine.travel(dt.datetime(2026, 1, 15, 12, tzinfo=UTC), tick=False):
        response = client.get(reverse("reporting:progress", args=["derby-city"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in html and "actions completed and verified over time" in html
    assert html.count('class="chart-point"') == 4 * 3  # four months, three series
    assert "<desc" in html and "4 actions in the plan, 2 completed and 1 verified" in html
    assert "December 2025" in html  # the table alternative
    assert re.findall(r'text-anchor="end" dominant-baseline="middle" fill="#0b0c0c">(\d+)<', html) == [
        "0",
        "1",
        "2",
        "3",
        "4",
    ]
    assert "style=" not in html


def test_the_progress_page_respects_scope(client, unit_with_history):
    other_leader = UserFactory(username="elsewhere", unit=PDUFactory(slug="elsewhere"))
    client.force_login(other_leader)
    assert client.get(reverse("reporting:progress", args=["derby-city"])).status_code == 404


def test_progress_grouped_by_unit_in_one_query_with_the_whole(unit_with_history, django_assert_num_queries):
    from recommendations.selectors.month_counts import month_counts
    from reporting.selectors.progress import grouped_progress

    pdu, _director, _c = unit_with_history
    other = PDUFactory(name="Derbyshire PDU", slug="derbyshire", parent=pdu.parent)
    _action_created(dt.date(2025, 12, 20), other)
    with django_assert_num_queries(1):
        by_unit = {unit: months for (unit,), months in month_counts(Action.objects.all(), "unit_id").items()}
    progress = grouped_progress(by_unit, today=dt.date(2026, 1, 15))
    assert [(m.month, m.total, m.completed, m.verified) for m in progress.whole] == [
        (dt.date(2025, 10, 1), 2, 0, 0),
        (dt.date(2025, 11, 1), 3, 1, 0),
        (dt.date(2025, 12, 1), 5, 2, 1),
        (dt.date(2026, 1, 1), 5, 2, 1),
    ]
    assert progress.groups[pdu.pk] == progress_by_month(Action.objects.filter(unit=pdu), today=dt.date(2026, 1, 15))
    # Each group's months start with the whole's, so that the charts line up.
    assert [(m.month, m.total) for m in progress.groups[other.pk]] == [
        (dt.date(2025, 10, 1), 0),
        (dt.date(2025, 11, 1), 0),
        (dt.date(2025, 12, 1), 1),
        (dt.date(2026, 1, 1), 1),
    ]
