"""Where people see what was sent: the action's page and the admin's notification log."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from reminders import selectors, services
from reminders.models import DigestMessage, NotificationLog
from tests.factories import ActionFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def reminded_action():
    action = ActionFactory(start_date=None, original_due_date=DAY + dt.timedelta(days=7))
    with time_machine.travel(dt.datetime(2026, 3, 2, 7, tzinfo=ZoneInfo("Europe/London")), tick=False):
        services.run_sweep(day=DAY)
    return action


def test_the_action_page_lists_the_reminders_sent_about_it(client, reminded_action):
    client.force_login(reminded_action.owner)

    response = client.get(reverse("recommendations:action_detail", args=[reminded_action.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Reminders sent" in html
    assert "Due in 7 days, on 9 March 2026." in html
    assert "2 March 2026 at 7:00am" in html
    assert str(reminded_action.owner) in html
    assert "govuk-tag--green" in html


def test_an_action_with_no_reminders_says_so(client):
    action = ActionFactory()
    client.force_login(action.owner)

    response = client.get(reverse("recommendations:action_detail", args=[action.pk]))

    assert "No reminders have been sent about this action." in response.content.decode()
    assert list(selectors.notifications_for_action(action)) == []


def test_the_notification_log_is_in_the_admin_read_only(client, reminded_action):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True, role="administrator"))
    row = NotificationLog.objects.get()

    changelist = client.get(reverse("admin:reminders_notificationlog_changelist"), {"q": row.recipient_email})
    assert changelist.status_code == 200
    assert row.recipient_email in changelist.content.decode()
    assert (
        client.get(reverse("admin:reminders_notificationlog_changelist"), {"status__exact": "sent"}).status_code == 200
    )

    change = client.get(reverse("admin:reminders_notificationlog_change", args=[row.pk]))
    assert change.status_code == 200
    assert 'name="status"' not in change.content.decode()  # shown, not editable
    assert client.get(reverse("admin:reminders_notificationlog_add")).status_code == 403
    assert (
        client.get(reverse("admin:reminders_digestmessage_change", args=[DigestMessage.objects.get().pk])).status_code
        == 200
    )
    delete = client.post(reverse("admin:reminders_notificationlog_delete", args=[row.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert NotificationLog.objects.filter(pk=row.pk).exists()
