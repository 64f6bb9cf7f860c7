"""The daily reminder sweep: who is reminded of what, on which day (the UK date)."""

import datetime as dt
import importlib

import pytest
import time_machine

from recommendations.models import ActionStatus
from reminders import tasks
from reminders.models import NotificationLog, ReminderKind
from tests.factories import LinkEvidenceFactory
from tests.reminder_sweep_world import START, days_with, sent_kinds, seven_am, sweep
from tests.reminder_sweep_world import org as sweep_org

org = sweep_org  # the sweep's small region, as a fixture here

# Each kind of reminder on its days, and not on the others


def test_due_soon_reminders_go_to_the_owner_30_7_and_1_days_before(org):
    due = dt.date(2026, 3, 31)
    org.action(due=due)

    days = days_with(ReminderKind.DUE_SOON, due - dt.timedelta(days=31), due, recipient=org.owner)

    assert days == [dt.date(2026, 3, 1), dt.date(2026, 3, 24), dt.date(2026, 3, 30)]
    assert NotificationLog.objects.filter(kind=ReminderKind.DUE_SOON).exclude(recipient=org.owner).count() == 0
    tomorrow = NotificationLog.objects.get(kind=ReminderKind.DUE_SOON, for_date=dt.date(2026, 3, 30))
    assert tomorrow.lead_days == 1
    assert tomorrow.reason.startswith("Due tomorrow, on 31 March 2026.")


def test_overdue_reminders_start_the_day_after_and_repeat_weekly(org):
    due = dt.date(2026, 2, 2)
    org.action(due=due)

    days = days_with(ReminderKind.OVERDUE, due, due + dt.timedelta(days=30), recipient=org.owner)

    assert days == [due + dt.timedelta(days=n) for n in (1, 8, 15, 22, 29)]
    reminder = NotificationLog.objects.get(kind=ReminderKind.OVERDUE, for_date=due + dt.timedelta(days=8))
    assert reminder.reason.startswith("Overdue by 8 days: it was due on 2 February 2026.")


def test_overdue_by_more_than_14_days_escalates_to_the_unit_leader_and_regional_director(org):
    due = dt.date(2026, 2, 2)
    org.action(due=due)

    days = days_with(ReminderKind.ESCALATION, due, due + dt.timedelta(days=23))

    assert days == [due + dt.timedelta(days=15), due + dt.timedelta(days=22)]
    escalated_to = set(
        NotificationLog.objects.filter(kind=ReminderKind.ESCALATION, for_date=days[0]).values_list(
            "recipient__username", flat=True
        )
    )
    # The owner (a PDU leader too) is told once, as owner; a director elsewhere is not told.
    assert escalated_to == {"leader", "director"}
    director_row = NotificationLog.objects.get(kind=ReminderKind.ESCALATION, for_date=days[0], recipient=org.director)
    assert "as the regional director" in director_row.reason
    assert "more than 14 days overdue" in director_row.reason


def test_stale_action_reminds_its_owner_every_30_days_without_an_update(org):
    action = org.action(due=dt.date(2026, 12, 31), created=START)

    first = days_with(ReminderKind.STALE, START + dt.timedelta(days=29), START + dt.timedelta(days=31))
    assert first == [START + dt.timedelta(days=30)]

    # A progress update ten days later restarts the clock.
    action.last_update_at = seven_am(START + dt.timedelta(days=40))
    action.save()
    later = days_with(ReminderKind.STALE, START + dt.timedelta(days=59), START + dt.timedelta(days=71))
    assert later == [START + dt.timedelta(days=70)]
    assert NotificationLog.objects.get(for_date=later[0]).reason.startswith("No progress update for 30 days")


def test_completed_action_waiting_more_than_7_days_reminds_the_regional_director(org):
    completed_on = dt.date(2026, 3, 2)
    org.action(
        due=dt.date(2026, 6, 30),
        status=ActionStatus.COMPLETED,
        completed_at=seven_am(completed_on),
        completed_by=org.owner,
        last_update_at=seven_am(completed_on),
    )

    days = days_with(ReminderKind.AWAITING_VERIFICATION, completed_on, completed_on + dt.timedelta(days=16))

    assert days == [completed_on + dt.timedelta(days=8), completed_on + dt.timedelta(days=15)]
    assert set(NotificationLog.objects.values_list("recipient__username", flat=True)) == {"director"}


def test_before_the_next_inspection_the_leader_and_director_get_a_digest_of_what_is_outstanding(org):
    expected = dt.date(2026, 9, 30)
    org.inspection.next_inspection_expected = expected
    org.inspection.save()
    overdue = org.action(due=dt.date(2026, 6, 1), description="Audit risk assessments")
    with_evidence = org.action(due=dt.date(2026, 12, 1), description="Run practice forums")
    LinkEvidenceFactory(action=with_evidence)

    days = days_with(
        ReminderKind.BEFORE_INSPECTION, expected - dt.timedelta(days=181), expected, recipient=org.director
    )

    assert days == [expected - dt.timedelta(days=n) for n in (180, 90, 30, 7)]
    rows = NotificationLog.objects.filter(kind=ReminderKind.BEFORE_INSPECTION, for_date=days[-1])
    assert set(rows.values_list("recipient__username", flat=True)) == {"owner", "leader", "director"}
    details = rows.get(recipient=org.director).details
    assert [rec["label"] for rec in details["recommendations"]] == ["Recommendation 1"]
    assert [a["action_id"] for a in details["overdue_actions"]] == [overdue.pk]
    assert [a["action_id"] for a in details["actions_without_evidence"]] == [overdue.pk]


@pytest.mark.parametrize("status", [ActionStatus.CANCELLED, ActionStatus.VERIFIED, ActionStatus.COMPLETED])
def test_closed_actions_get_no_owner_reminders(org, status):
    stamps = {}
    if status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
        stamps = {"completed_at": seven_am(START), "completed_by": org.owner}
    if status == ActionStatus.VERIFIED:
        stamps |= {"verified_at": seven_am(START), "verified_by": org.director}
    due = dt.date(2026, 2, 2)
    org.action(due=due, status=status, **stamps)

    for offset in (-30, -7, -1, 1, 8, 15, 30):
        sweep(due + dt.timedelta(days=offset))

    kinds = set(NotificationLog.objects.values_list("kind", flat=True))
    if status == ActionStatus.COMPLETED:
        assert kinds == {ReminderKind.AWAITING_VERIFICATION}
    else:
        assert kinds == set()


# Time zones: the sweep's day is the UK date, through both clock changes


@pytest.mark.parametrize(
    "instant_utc, expected_day",
    [
        (dt.datetime(2026, 3, 29, 6, 0, tzinfo=dt.UTC), dt.date(2026, 3, 29)),  # 07:00 BST, first day of BST
        (dt.datetime(2026, 10, 25, 7, 0, tzinfo=dt.UTC), dt.date(2026, 10, 25)),  # 07:00 GMT, last change
        (dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC), dt.date(2026, 10, 25)),  # 00:30 BST: not UTC's 24th
    ],
)
def test_the_scheduled_sweep_uses_the_uk_date_across_clock_changes(org, instant_utc, expected_day):
    org.action(due=expected_day + dt.timedelta(days=7))

    with time_machine.travel(instant_utc, tick=False):
        result = tasks.daily_reminder_sweep.delay().get()

    assert result["day"] == expected_day.isoformat()
    assert sent_kinds(expected_day) == [ReminderKind.DUE_SOON]


def test_a_completion_just_after_midnight_bst_counts_from_its_uk_date(org):
    # 23:30 UTC on 16 October is 00:30 on 17 October in London: 8 days later is 25 October.
    org.action(
        due=dt.date(2026, 12, 31),
        status=ActionStatus.COMPLETED,
        completed_at=dt.datetime(2026, 10, 16, 23, 30, tzinfo=dt.UTC),
        completed_by=org.owner,
    )

    days = days_with(ReminderKind.AWAITING_VERIFICATION, dt.date(2026, 10, 23), dt.date(2026, 10, 26))

    assert days == [dt.date(2026, 10, 25)]


def test_the_daily_sweep_is_scheduled_at_seven_uk_time_and_editable(db):
    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    # The migration's own step, run here rather than its row read back from the migrated test
    # database: a transactional test run earlier on the same worker empties every table.
    migration = importlib.import_module("reminders.migrations.0002_daily_sweep_schedule")
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)  # running it again changes nothing

    task = PeriodicTask.objects.get(task="reminders.tasks.daily_reminder_sweep")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == ("0", "7", "Europe/London")
