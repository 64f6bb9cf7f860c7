"""Daily or weekly reminders: the sweep holds back what a person takes weekly, and never the urgent ones."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from reminders.models import DeliveryStatus, DigestFrequency, NotificationLog, ReminderKind
from reminders.services import set_reminder_frequency
from tests.factories import UserFactory
from tests.reminder_sweep_world import org as sweep_org
from tests.reminder_sweep_world import sweep

org = sweep_org  # the sweep tests' small region, as a fixture here too

WEDNESDAY = dt.date(2026, 1, 7)
NEXT_MONDAY = dt.date(2026, 1, 12)


def emails_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def test_a_weekly_owners_due_soon_reminder_waits_for_monday_and_says_which_day_it_is_from(org):
    set_reminder_frequency(user=org.owner, routine_reminders=DigestFrequency.WEEKLY)
    org.action(due=WEDNESDAY + dt.timedelta(days=7), description="Audit risk assessments")

    sweep(WEDNESDAY)
    reminder = NotificationLog.objects.get(kind=ReminderKind.DUE_SOON, recipient=org.owner)
    assert reminder.status == DeliveryStatus.PENDING and reminder.digest_id is None
    assert emails_to(org.owner) == []

    for day in (dt.date(2026, 1, 8), dt.date(2026, 1, 9), dt.date(2026, 1, 10), dt.date(2026, 1, 11)):
        sweep(day)
    assert emails_to(org.owner) == []

    sweep(NEXT_MONDAY)
    [email] = emails_to(org.owner)
    assert "Audit risk assessments" in email.body
    assert "(as at 7 January 2026) Due in 7 days, on 14 January 2026." in email.body
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.SENT


def test_a_daily_owner_gets_the_same_reminder_on_the_day(org):
    org.action(due=WEDNESDAY + dt.timedelta(days=7), description="Audit risk assessments")
    sweep(WEDNESDAY)
    [email] = emails_to(org.owner)
    assert "as at" not in email.body and "Due in 7 days" in email.body


def test_weekly_stale_reminders_wait_for_monday_too(org):
    set_reminder_frequency(user=org.owner, routine_reminders=DigestFrequency.WEEKLY)
    org.action(due=dt.date(2026, 12, 31), created=dt.date(2025, 12, 9))  # 30 days quiet on Thursday 8 January
    sweep(dt.date(2026, 1, 8))
    assert NotificationLog.objects.filter(kind=ReminderKind.STALE, digest__isnull=True).count() == 1
    assert emails_to(org.owner) == []
    sweep(NEXT_MONDAY)
    assert len(emails_to(org.owner)) == 1


def test_overdue_reminders_and_escalations_go_on_the_day_whatever_people_chose(org):
    for person in (org.owner, org.leader, org.director):
        set_reminder_frequency(user=person, routine_reminders=DigestFrequency.WEEKLY)
    org.action(due=dt.date(2025, 12, 20), created=dt.date(2025, 12, 1))
    sunday = dt.date(2026, 1, 4)  # 15 days overdue: the owner is reminded and it is escalated

    sweep(sunday)

    assert set(NotificationLog.objects.filter(for_date=sunday).values_list("kind", flat=True)) == {
        ReminderKind.OVERDUE,
        ReminderKind.ESCALATION,
    }
    assert not NotificationLog.objects.filter(status=DeliveryStatus.PENDING).exists()
    assert all(len(emails_to(person)) == 1 for person in (org.owner, org.leader, org.director))


def test_before_inspection_reminders_go_on_the_day_for_weekly_people(org):
    set_reminder_frequency(user=org.leader, routine_reminders=DigestFrequency.WEEKLY)
    org.inspection.next_inspection_expected = WEDNESDAY + dt.timedelta(days=30)
    org.inspection.save()
    sweep(WEDNESDAY)
    [email] = emails_to(org.leader)
    assert "next inspection" in email.body.lower()


def test_going_back_to_daily_sends_what_was_waiting_with_the_next_sweep(org):
    set_reminder_frequency(user=org.owner, routine_reminders=DigestFrequency.WEEKLY)
    org.action(due=WEDNESDAY + dt.timedelta(days=7))
    sweep(WEDNESDAY)
    assert emails_to(org.owner) == []

    set_reminder_frequency(user=org.owner, routine_reminders=DigestFrequency.DAILY)
    sweep(dt.date(2026, 1, 8))
    assert len(emails_to(org.owner)) == 1


def test_an_unknown_frequency_is_refused_in_plain_words(db):
    with pytest.raises(ValidationError, match="Select how often you want these reminders"):
        set_reminder_frequency(user=UserFactory(), routine_reminders="hourly")


# The notifications page


def test_the_notifications_page_lists_the_users_own_reminders_with_links_to_their_actions(client, org):
    action = org.action(due=WEDNESDAY + dt.timedelta(days=7), description="Audit risk assessments")
    # Overdue by 15 days that Wednesday: the owner is reminded and the director told.
    org.action(due=dt.date(2025, 12, 23), created=dt.date(2025, 12, 1), description="Recruit practice tutors")
    sweep(WEDNESDAY)

    client.force_login(org.owner)
    html = client.get(reverse("reminders:notifications")).content.decode()

    assert "7 January 2026" in html
    assert "Due in 7 days, on 14 January 2026. You own this action." in html
    assert f'href="{reverse("recommendations:action_detail", args=[action.pk])}"' in html
    assert "Audit risk assessments" in html and "Recruit practice tutors" in html
    assert ">Sent<" in html

    client.force_login(org.director)  # the escalation of the overdue one is the director's own; not the owner's
    html = client.get(reverse("reminders:notifications")).content.decode()
    assert "Recruit practice tutors" in html and "Audit risk assessments" not in html


def test_choosing_weekly_on_the_page_saves_it_and_shows_reminders_waiting(client, org):
    org.action(due=WEDNESDAY + dt.timedelta(days=7), description="Audit risk assessments")
    client.force_login(org.owner)
    page = client.get(reverse("reminders:notifications")).content.decode()
    assert 'value="daily" checked' in page

    response = client.post(reverse("reminders:notifications"), {"routine_reminders": "weekly"}, follow=True)

    assert "You will get reminders about actions due soon or with no recent progress once a week." in (
        response.content.decode()
    )
    assert org.owner.reminder_preference.routine_reminders == DigestFrequency.WEEKLY
    sweep(WEDNESDAY)
    html = client.get(reverse("reminders:notifications")).content.decode()
    assert "For your weekly email on Monday" in html and 'value="weekly" checked' in html


def test_choosing_nothing_shows_a_govuk_error_and_changes_nothing(client, org):
    client.force_login(org.owner)
    response = client.post(reverse("reminders:notifications"), {"routine_reminders": "hourly"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Notifications" in html
    assert 'href="#id_routine_reminders_0">Select how often you want these reminders</a>' in html
    assert not hasattr(org.owner, "reminder_preference") or org.owner.reminder_preference is None
