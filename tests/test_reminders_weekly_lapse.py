"""A reminder held for the weekly email is dropped if it stops applying before the email goes.

The owner takes "due soon" and "no recent progress" reminders weekly. One recorded on a
Wednesday waits for Monday; if by then the action was completed, verified or cancelled, its
due date moved or passed, or progress was logged, Monday's email leaves it out and the
notification log says it was not needed. One still true goes as before.
"""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from recommendations.models import Action, ActionStatus
from reminders.models import DeliveryStatus, DigestFrequency, NotificationLog, ReminderKind
from reminders.services import set_reminder_frequency
from tests.reminder_sweep_world import org as sweep_org
from tests.reminder_sweep_world import seven_am, sweep

org = sweep_org  # the sweep's small region, as a fixture here

WEDNESDAY = dt.date(2026, 1, 7)
FRIDAY = dt.date(2026, 1, 9)
NEXT_MONDAY = dt.date(2026, 1, 12)


def emails_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


@pytest.fixture
def held(org):
    """A due-soon reminder to a weekly owner, recorded on Wednesday and waiting for Monday."""
    set_reminder_frequency(user=org.owner, routine_reminders=DigestFrequency.WEEKLY)
    org.held_action = org.action(due=WEDNESDAY + dt.timedelta(days=7), description="Audit risk assessments")
    sweep(WEDNESDAY)
    reminder = NotificationLog.objects.get(kind=ReminderKind.DUE_SOON, recipient=org.owner)
    assert reminder.status == DeliveryStatus.PENDING and reminder.digest_id is None
    return org


def _monday_email_leaves_it_out(org, reminder_kind=ReminderKind.DUE_SOON):
    sweep(NEXT_MONDAY)
    reminder = NotificationLog.objects.get(kind=reminder_kind, recipient=org.owner, for_date__lt=NEXT_MONDAY)
    assert [email for email in emails_to(org.owner) if reminder.reason in email.body] == []
    assert (reminder.status, reminder.digest_id, reminder.sent_at) == (DeliveryStatus.WITHDRAWN, None, None)


@pytest.mark.parametrize("status", [ActionStatus.COMPLETED, ActionStatus.VERIFIED, ActionStatus.CANCELLED])
def test_a_held_reminder_about_an_action_closed_before_monday_is_not_sent(held, status):
    stamps = {}
    if status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
        stamps = {"completed_at": seven_am(FRIDAY), "completed_by": held.owner}
    if status == ActionStatus.VERIFIED:
        stamps |= {"verified_at": seven_am(FRIDAY), "verified_by": held.director}
    Action.objects.filter(pk=held.held_action.pk).update(status=status, **stamps)

    _monday_email_leaves_it_out(held)


def test_a_held_due_soon_reminder_is_not_sent_once_the_due_date_has_moved(held):
    Action.objects.filter(pk=held.held_action.pk).update(due_date=dt.date(2026, 3, 31))

    _monday_email_leaves_it_out(held)


def test_a_held_due_soon_reminder_is_not_sent_once_the_due_date_has_passed(org):
    set_reminder_frequency(user=org.owner, routine_reminders=DigestFrequency.WEEKLY)
    org.action(due=dt.date(2026, 1, 8), description="Audit risk assessments")  # due Thursday: "due tomorrow"
    sweep(WEDNESDAY)
    sweep(FRIDAY)  # the day after it was due: an overdue reminder

    _monday_email_leaves_it_out(org)
    # The overdue reminder says what is true now; it went on the day.
    assert NotificationLog.objects.filter(kind=ReminderKind.OVERDUE, status=DeliveryStatus.SENT).exists()


def test_a_held_no_progress_reminder_is_not_sent_once_progress_is_logged(org):
    set_reminder_frequency(user=org.owner, routine_reminders=DigestFrequency.WEEKLY)
    quiet = org.action(due=dt.date(2026, 12, 31), created=dt.date(2025, 12, 9), description="Audit risk assessments")
    sweep(dt.date(2026, 1, 8))  # 30 days without an update
    Action.objects.filter(pk=quiet.pk).update(last_update_at=seven_am(FRIDAY))

    _monday_email_leaves_it_out(org, ReminderKind.STALE)


def test_a_held_reminder_still_true_on_monday_is_sent(held):
    sweep(NEXT_MONDAY)
    [email] = emails_to(held.owner)
    assert "Audit risk assessments" in email.body
    assert NotificationLog.objects.get(kind=ReminderKind.DUE_SOON, for_date=WEDNESDAY).status == DeliveryStatus.SENT


def test_the_notifications_page_says_a_dropped_reminder_was_not_needed(client, held):
    Action.objects.filter(pk=held.held_action.pk).update(status=ActionStatus.CANCELLED)
    sweep(NEXT_MONDAY)
    client.force_login(held.owner)
    html = client.get(reverse("reminders:notifications")).content.decode()
    assert "Not needed" in html
    assert "No longer true when your weekly email went" in html
