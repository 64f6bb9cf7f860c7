"""Sending the sweep's reminders: one email per person a day, sent once; failures retried; claims and leases."""

import datetime as dt
import time

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from reminders import selectors, services, tasks
from reminders.models import DeliveryStatus, DigestMessage, NotificationLog
from reminders.senders import OutgoingEmail
from tests.reminder_sweep_world import org as sweep_org
from tests.reminder_sweep_world import seven_am, sweep

org = sweep_org  # the sweep's small region, as a fixture here

# One email per person per day, sent once


def test_several_reminders_for_one_person_arrive_as_one_email(org):
    day = dt.date(2026, 3, 2)
    org.action(due=day + dt.timedelta(days=7), description="Book training")
    org.action(due=day + dt.timedelta(days=30), description="Recruit SPOs")
    late = org.action(due=day - dt.timedelta(days=15), description="Clear the allocation backlog")

    summary = sweep(day)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["director@justice.example", "leader@justice.example", "owner@justice.example"]
    assert summary.emails_sent == 3
    assert summary.due == {"due_soon": 2, "overdue": 1, "escalation": 2}
    owners_email = by_recipient["owner@justice.example"]
    assert "3 reminders" in owners_email.subject
    for text in ("Book training", "Recruit SPOs", "Clear the allocation backlog", "Due in 7 days", "Overdue by 15"):
        assert text in owners_email.body
    html, mimetype = owners_email.alternatives[0]
    assert mimetype == "text/html"
    assert f"http://127.0.0.1:8000/actions/{late.pk}/" in owners_email.body
    assert f'href="http://127.0.0.1:8000/actions/{late.pk}/"' in html
    assert "Why you are getting this:" in html
    assert DigestMessage.objects.get(recipient=org.owner).notifications.count() == 3
    assert set(NotificationLog.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_running_the_sweep_twice_for_a_day_sends_nothing_the_second_time(org):
    day = dt.date(2026, 3, 2)
    org.action(due=day + dt.timedelta(days=7))

    first = sweep(day)
    second = sweep(day)

    assert (first.new, first.emails_sent) == (1, 1)
    assert (second.new, second.emails_sent) == (0, 0)
    assert len(mail.outbox) == 1
    assert NotificationLog.objects.count() == 1


# Failures are recorded and retried; claims stop double sending


class FailingSender:
    def __init__(self, failures=1):
        self.failures = failures
        self.sent = []

    def send(self, email: OutgoingEmail):
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError("SMTP server refused the connection")
        self.sent.append(email)
        return "<ref@example>"


def test_a_failed_send_is_recorded_and_the_next_attempt_sends_it(org):
    day = dt.date(2026, 3, 2)
    org.action(due=day + dt.timedelta(days=7))
    with time_machine.travel(seven_am(day), tick=False):
        services.record_reminders(day=day, reminders=selectors.reminders_due(day=day))
        [digest_id], _ = services.group_into_digests(day=day)
        sender = FailingSender(failures=1)

        failed = services.deliver_digest(digest_id=digest_id, sender=sender)
        row = NotificationLog.objects.get()
        assert failed.error == "ConnectionRefusedError: SMTP server refused the connection"
        assert (row.status, row.attempts, row.error) == (DeliveryStatus.FAILED, 1, failed.error)
        assert services.digests_to_deliver() == [digest_id]

        retried = services.deliver_digest(digest_id=digest_id, sender=sender)
    row.refresh_from_db()
    assert retried.sent == 1 and len(sender.sent) == 1
    assert (row.status, row.attempts, row.error) == (DeliveryStatus.SENT, 2, "")
    assert DigestMessage.objects.get().provider_reference == "<ref@example>"


def test_the_celery_task_retries_a_failed_send_with_capped_backoff(org, monkeypatch):
    day = dt.date(2026, 3, 2)
    org.action(due=day + dt.timedelta(days=7))
    sender = FailingSender(failures=1)
    monkeypatch.setattr(services, "get_sender", lambda: sender)
    with time_machine.travel(seven_am(day), tick=False):
        services.run_sweep(day=day, deliver=lambda digest_id: None)  # recorded and grouped, not yet sent

        result = tasks.send_reminder_digest.apply(args=[DigestMessage.objects.get().pk], throw=False)

    assert result.state == "SUCCESS"
    row = NotificationLog.objects.get()
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 2)
    assert len(sender.sent) == 1
    task = tasks.send_reminder_digest
    assert task.acks_late and task.reject_on_worker_lost
    assert task.max_retries == 4
    # A retry is never held longer than the broker's visibility timeout allows.
    assert task.retry_backoff_max <= tasks.VISIBILITY_TIMEOUT // 2


def test_without_a_broker_a_failed_send_waits_for_the_next_sweep(org, monkeypatch):
    day = dt.date(2026, 3, 2)
    org.action(due=day + dt.timedelta(days=7))
    sender = FailingSender(failures=1)
    monkeypatch.setattr(services, "get_sender", lambda: sender)

    with time_machine.travel(seven_am(day), tick=False):
        tasks.daily_reminder_sweep.delay()
        assert NotificationLog.objects.get().status == DeliveryStatus.FAILED
        tasks.daily_reminder_sweep.delay()

    row = NotificationLog.objects.get()
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 2)
    assert len(sender.sent) == 1


def test_a_send_that_keeps_failing_stops_after_the_attempt_cap(org, settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    day = dt.date(2026, 3, 2)
    org.action(due=day + dt.timedelta(days=7))
    sender = FailingSender(failures=99)
    with time_machine.travel(seven_am(day), tick=False):
        services.run_sweep(day=day, deliver=lambda pk: services.deliver_digest(digest_id=pk, sender=sender))
        summary = services.run_sweep(day=day, deliver=lambda pk: services.deliver_digest(digest_id=pk, sender=sender))
        third = services.run_sweep(day=day, deliver=lambda pk: services.deliver_digest(digest_id=pk, sender=sender))
    row = NotificationLog.objects.get()
    assert summary.emails_failed == 1 and third.emails_failed == 0
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, 2)


def test_a_claimed_email_is_not_sent_again_until_its_lease_runs_out(org, settings):
    settings.REMINDER_SEND_LEASE_SECONDS = 600
    day = dt.date(2026, 3, 2)
    org.action(due=day + dt.timedelta(days=7))
    with time_machine.travel(seven_am(day), tick=False):
        services.record_reminders(day=day, reminders=selectors.reminders_due(day=day))
        [digest_id], _ = services.group_into_digests(day=day)
        # A sender claimed the rows and died before it could mark them sent.
        NotificationLog.objects.update(status=DeliveryStatus.SENDING, claimed_at=timezone.now(), attempts=1)
        busy = services.deliver_digest(digest_id=digest_id)
    assert busy.sent == 0 and busy.busy_for == pytest.approx(600)
    assert len(mail.outbox) == 0

    with time_machine.travel(seven_am(day) + dt.timedelta(minutes=11), tick=False):
        assert services.digests_to_deliver() == [digest_id]
        recovered = services.deliver_digest(digest_id=digest_id)
    assert recovered.sent == 1 and len(mail.outbox) == 1
    assert NotificationLog.objects.get().attempts == 2


def test_a_send_abandoned_on_its_last_attempt_is_marked_failed_not_left_sending(org, settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    day = dt.date(2026, 3, 2)
    org.action(due=day + dt.timedelta(days=7))
    with time_machine.travel(seven_am(day), tick=False):
        services.record_reminders(day=day, reminders=selectors.reminders_due(day=day))
        services.group_into_digests(day=day)
        NotificationLog.objects.update(status=DeliveryStatus.SENDING, claimed_at=timezone.now(), attempts=2)

    with time_machine.travel(seven_am(day + dt.timedelta(days=1)), tick=False):
        assert services.digests_to_deliver() == []
    row = NotificationLog.objects.get()
    assert row.status == DeliveryStatus.FAILED
    assert row.error == "The sender stopped during the last allowed attempt."
    assert len(mail.outbox) == 0


def test_a_long_description_is_shortened_with_an_ellipsis_in_both_parts_of_the_email(org):
    day = dt.date(2026, 3, 2)
    description = "Audit every case allocated since the last inspection " * 6
    org.action(due=day + dt.timedelta(days=7), description=description)
    sweep(day)
    (message,) = [m for m in mail.outbox if m.to == ["owner@justice.example"]]
    html, _ = message.alternatives[0]
    for part in (html, message.body):
        assert "\\u2026" not in part and "\\u" not in part
    assert "Audit every case allocated since the last inspection Audit" in html
    assert "…" in html
    # And as the message goes out: each part decoded from its transfer encoding.
    sent = {
        part.get_content_type(): part.get_payload(decode=True).decode(part.get_content_charset())
        for part in message.message().walk()
        if not part.is_multipart()
    }
    assert set(sent) == {"text/plain", "text/html"}
    for text in sent.values():
        assert "\\u" not in text and "…" in text


class SlowSender:
    """Takes `seconds` to send, noting the claim's time as the send starts and ends."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.claimed_at = []

    def _claim(self):
        return NotificationLog.objects.values_list("claimed_at", flat=True).get()

    def send(self, email):
        self.claimed_at.append(self._claim())
        time.sleep(self.seconds)
        self.claimed_at.append(self._claim())
        return "<slow@example>"


def test_the_send_lease_is_two_minutes_by_default():
    from tests.test_settings import _setting

    assert _setting({}, "settings.REMINDER_SEND_LEASE_SECONDS") == "120"


@pytest.mark.django_db(transaction=True)
def test_a_slow_send_keeps_renewing_its_claim_so_nobody_else_takes_it(org, settings):
    settings.REMINDER_SEND_LEASE_SECONDS = 3
    day = dt.date(2026, 3, 2)
    org.action(due=day + dt.timedelta(days=7))
    services.record_reminders(day=day, reminders=selectors.reminders_due(day=day))
    [digest_id], _ = services.group_into_digests(day=day)
    sender = SlowSender(seconds=4)

    outcome = services.deliver_digest(digest_id=digest_id, sender=sender)

    started, finished = sender.claimed_at
    # Longer than the lease in all, but the claim was renewed as the send went on.
    assert (finished - started).total_seconds() >= 2
    assert outcome.sent == 1
    assert NotificationLog.objects.get().status == DeliveryStatus.SENT
