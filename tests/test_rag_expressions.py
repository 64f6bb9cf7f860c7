"""The derived RAG as a database expression gives exactly what derive_rag gives, at every boundary."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db.models import CharField, Value

from recommendations.models import RAG, Action, ActionStatus, Evidence, EvidenceKind
from recommendations.models.actions import has_current_evidence
from recommendations.models.rag import (
    derive_rag,
    derived_rag_expression,
    is_self_rating_optimistic,
    optimistic_rating_expression,
)
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 2)


def _activity_times():
    """Last-activity times either side of the stale threshold, including just before and after local midnight."""
    stale = settings.RAG_STALE_AFTER_DAYS
    times = [None]
    for days_ago in (0, stale - 1, stale, stale + 1):
        day = TODAY - dt.timedelta(days=days_ago)
        for clock in (dt.time(0, 30), dt.time(12), dt.time(23, 30)):
            times.append(dt.datetime.combine(day, clock, tzinfo=LONDON))
    return times


def test_expression_matches_derive_rag_for_every_combination():
    template = ActionFactory()
    amber = settings.RAG_AMBER_WITHIN_DAYS
    due_offsets = (-1, 0, 1, amber - 1, amber, amber + 1)
    evidence_states = ("none", "current", "withdrawn")
    now = dt.datetime.combine(TODAY, dt.time(10), tzinfo=LONDON)
    combos = list(itertools.product(ActionStatus.values, due_offsets, _activity_times(), evidence_states))
    actions = Action.objects.bulk_create(
        Action(
            recommendation=template.recommendation,
            unit=template.unit,
            owner=template.owner,
            description=f"{status} {offset} {activity} {evidence}",
            original_due_date=TODAY + dt.timedelta(days=offset),
            due_date=TODAY + dt.timedelta(days=offset),
            status=status,
            completed_at=now if status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED) else None,
            completed_by=template.owner if status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED) else None,
            verified_at=now if status == ActionStatus.VERIFIED else None,
            verified_by=template.owner if status == ActionStatus.VERIFIED else None,
            last_update_at=activity,
        )
        for status, offset, activity, evidence in combos
    )
    # Actions with no update fall back to their creation time: age some of them past the threshold.
    stale_created = dt.datetime.combine(TODAY - dt.timedelta(days=settings.RAG_STALE_AFTER_DAYS), dt.time(23, 30))
    Action.objects.filter(pk__in=[a.pk for a in actions[::2]]).update(created_at=stale_created.replace(tzinfo=LONDON))
    Evidence.objects.bulk_create(
        Evidence(
            action=action,
            kind=EvidenceKind.LINK,
            title="Audit",
            url="https://intranet.justice.example/audit",
            added_by=template.owner,
            added_at=now,
            withdrawn_at=now if combo[3] == "withdrawn" else None,
            withdrawal_reason="Superseded" if combo[3] == "withdrawn" else "",
        )
        for action, combo in zip(actions, combos, strict=True)
        if combo[3] != "none"
    )

    annotated = Action.objects.filter(pk__in=[a.pk for a in actions]).annotate(
        sql_rag=derived_rag_expression(today=TODAY, has_evidence=has_current_evidence()),
        with_evidence=has_current_evidence(),
    )
    checked = 0
    for action in annotated:
        expected = derive_rag(
            status=action.status,
            due_date=action.due_date,
            last_activity_at=action.last_update_at or action.created_at,
            has_evidence=action.with_evidence,
            today=TODAY,
        )
        assert action.sql_rag == expected, (action.description, action.created_at)
        checked += 1
    assert checked == len(combos)
    # The grid reaches every outcome, so the comparison above is not vacuous.
    assert {a.sql_rag for a in annotated} == {"", RAG.RED, RAG.AMBER, RAG.GREEN}


def test_optimism_expression_matches_is_self_rating_optimistic():
    action = ActionFactory()
    ratings = ["", *RAG.values]
    for own, derived in itertools.product(ratings, ratings):
        Action.objects.filter(pk=action.pk).update(self_rag=own)
        flagged = (
            Action.objects.filter(pk=action.pk)
            .alias(derived=Value(derived, output_field=CharField()))
            .annotate(flag=optimistic_rating_expression(self_rag="self_rag", derived="derived"))
            .get()
            .flag
        )
        assert flagged == is_self_rating_optimistic(self_rag=own, derived=derived), (own, derived)
