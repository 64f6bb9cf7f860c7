"""The derived RAG rating judges progress from dates, updates and evidence."""

import datetime as dt

import pytest
from django.utils import timezone

from recommendations.models import RAG, ActionStatus
from recommendations.models.rag import derive_rag, is_self_rating_optimistic

TODAY = dt.date(2026, 11, 23)


def _at(days_ago):
    return timezone.make_aware(dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(10)))


def rag(*, status=ActionStatus.IN_PROGRESS, due_in=90, updated_days_ago=5, has_evidence=False):
    return derive_rag(
        status=status,
        due_date=TODAY + dt.timedelta(days=due_in),
        last_activity_at=_at(updated_days_ago),
        has_evidence=has_evidence,
        today=TODAY,
    )


def test_overdue_open_action_is_red():
    assert rag(due_in=-1) == RAG.RED


def test_no_update_for_sixty_days_is_red_even_if_not_due():
    assert rag(updated_days_ago=60) == RAG.RED
    assert rag(updated_days_ago=59) == RAG.GREEN


def test_due_within_thirty_days_without_evidence_is_amber():
    assert rag(due_in=30) == RAG.AMBER
    assert rag(due_in=31) == RAG.GREEN


def test_due_soon_with_evidence_is_green():
    assert rag(due_in=10, has_evidence=True) == RAG.GREEN


def test_blocked_is_at_least_amber():
    assert rag(status=ActionStatus.BLOCKED) == RAG.AMBER


@pytest.mark.parametrize("status", [ActionStatus.COMPLETED, ActionStatus.VERIFIED])
def test_completed_work_is_green_even_past_its_date(status):
    assert rag(status=status, due_in=-100, updated_days_ago=200) == RAG.GREEN


def test_cancelled_action_has_no_rating():
    assert rag(status=ActionStatus.CANCELLED) == ""


def test_thresholds_come_from_settings(settings):
    settings.RAG_STALE_AFTER_DAYS = 10
    settings.RAG_AMBER_WITHIN_DAYS = 60
    assert rag(updated_days_ago=10) == RAG.RED
    assert rag(due_in=45) == RAG.AMBER


@pytest.mark.parametrize(
    ("self_rag", "derived", "optimistic"),
    [
        (RAG.GREEN, RAG.RED, True),
        (RAG.GREEN, RAG.AMBER, True),
        (RAG.AMBER, RAG.RED, True),
        (RAG.RED, RAG.GREEN, False),
        (RAG.GREEN, RAG.GREEN, False),
        ("", RAG.RED, False),
        (RAG.GREEN, "", False),
    ],
)
def test_self_rating_greener_than_the_evidence_is_flagged(self_rag, derived, optimistic):
    assert is_self_rating_optimistic(self_rag=self_rag, derived=derived) is optimistic
