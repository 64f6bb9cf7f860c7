"""The daily reminder sweep: who is reminded of what, on which day, and only once."""

import datetime as dt
import math
import re
import time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recommendations.models import ActionStatus, Role
from reminders import selectors, services, tasks
from reminders.models import DeliveryStatus, DigestMessage, NotificationLog, ReminderKind
from reminders.senders import OutgoingEmail
from tests.factories import (
    ActionFactory,
    DirectorFactory,
    InspectionFactory,
    LinkEvidenceFactory,
    PDUFactory,
    RecommendationFactory,
    RegionFactory,
    UserFactory,
)

LONDON = ZoneInfo("Europe/London")
START = dt.date(2026, 1, 5)


def seven_am(day):
    return dt.datetime.combine(day, dt.time(7), tzinfo=LONDON)


def sweep(day):
    """Run the sweep as the 07:00 scheduled run would on `day`."""
    with time_machine.travel(seven_am(day), tick=False):
        return services.run_sweep(day=timezone.localdate())


def sent_kinds(day, **filters):
    return sorted(NotificationLog.objects.filter(for_date=day, **filters).values_list("kind", flat=True))


@pytest.fixture
def org(db):
    region = RegionFactory(name="Probation Service – East Midlands", short_name="East Midlands")
    pdu = PDUFactory(name="Derby City PDU", short_name="Derby City", parent=region)
    owner = UserFactory(username="owner", unit=pdu, role=Role.PDU_LEADER, first_name="Olu", last_name="Owner")
    leader = UserFactory(username="leader", unit=pdu, role=Role.PDU_LEADER, first_name="Lee", last_name="Leader")
    director = DirectorFactory(username="director", unit=region, first_name="Dee", last_name="Director")
    outsider = DirectorFactory(username="other-director", unit=RegionFactory())
    with time_machine.travel(seven_am(START), tick=False):
        inspection = InspectionFactory(unit=pdu, title="An inspection of probation services in Derby City")
        recommendation = RecommendationFactory(inspection=inspection, number=1)

    class Org:
        pass

    o = Org()
    o.region, o.pdu, o.owner, o.leader, o.director, o.outsider = region, pdu, owner, leader, director, outsider
    o.inspection, o.recommendation = inspection, recommendation

    def action(created=START, **kwargs):
        kwargs.setdefault("owner", owner)
        kwargs.setdefault("start_date", None)
        due = kwargs.pop("due", None)
        if due:
            kwargs["original_due_date"] = due
        with time_machine.travel(seven_am(created), tick=False):
            return ActionFactory(recommendation=recommendation, **kwargs)

    o.action = action
    return o


def days_with(kind, first, last, **filters):
    days = []
    day = first
    while day <= last:
        sweep(day)
        if NotificationLog.objects.filter(for_date=day, kind=kind, **filters).exists():
            days.append(day)
        day += dt.timedelta(days=1)
    return days


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


def test_the_send_reminders_command_reports_and_a_dry_run_writes_and_sends_nothing(org):
    day = dt.date(2026, 3, 2)
    org.action(due=day + dt.timedelta(days=7))
    org.action(due=day - dt.timedelta(days=1))

    dry = StringIO()
    with time_machine.travel(seven_am(day), tick=False):
        call_command("send_reminders", "--date", "2026-03-02", "--dry-run", stdout=dry)
    assert NotificationLog.objects.count() == 0 and DigestMessage.objects.count() == 0
    assert len(mail.outbox) == 0
    assert "Due soon: 1 due" in dry.getvalue() and "Overdue: 1 due" in dry.getvalue()
    assert "Emails that would be sent: 1" in dry.getvalue()

    out = StringIO()
    with time_machine.travel(seven_am(day), tick=False):
        call_command("send_reminders", "--date", "2026-03-02", stdout=out)
        call_command("send_reminders", "--date", "2026-03-02", stdout=(again := StringIO()))
    assert "New reminders: 2" in out.getvalue() and "Emails sent: 1" in out.getvalue()
    assert "New reminders: 0" in again.getvalue() and "Emails sent: 0" in again.getvalue()
    assert len(mail.outbox) == 1


def test_the_command_refuses_a_malformed_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "2/3/2026")


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
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="reminders.tasks.daily_reminder_sweep")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == ("0", "7", "Europe/London")


# Scale: a handful of queries whatever the number of actions


def _queries_for_sweep(org, owners, count, day):
    for n in range(count):
        # A mix of kinds: due in 7 days, overdue since yesterday, escalated, awaiting verification.
        kind = n % 4
        if kind == 0:
            org.action(due=day + dt.timedelta(days=7), owner=owners[n % 3])
        elif kind == 1:
            org.action(due=day - dt.timedelta(days=1), owner=owners[n % 3])
        elif kind == 2:
            org.action(due=day - dt.timedelta(days=15), owner=owners[n % 3])
        else:
            org.action(
                due=day + dt.timedelta(days=60),
                owner=owners[n % 3],
                status=ActionStatus.COMPLETED,
                completed_at=seven_am(day - dt.timedelta(days=8)),
                completed_by=owners[n % 3],
            )
    with time_machine.travel(seven_am(day), tick=False), CaptureQueriesContext(connection) as ctx:
        summary = services.run_sweep(day=day)
    log_insert = re.compile(r'INSERT (OR IGNORE )?INTO "reminders_notificationlog"')
    inserts = [q for q in ctx.captured_queries if log_insert.match(q["sql"])]
    return len(ctx.captured_queries) - len(inserts), len(inserts), summary


@pytest.mark.django_db
def test_the_sweep_takes_as_many_queries_for_200_actions_as_for_10(org):
    owners = [org.owner, org.leader, UserFactory(unit=org.pdu)]
    small, small_inserts, small_summary = _queries_for_sweep(org, owners, 10, dt.date(2026, 3, 2))
    large, large_inserts, large_summary = _queries_for_sweep(org, owners, 200, dt.date(2026, 6, 1))

    assert (small_summary.new, large_summary.new) == (16, 372)
    # The three owners and the director: one email each, however many reminders.
    assert small_summary.emails_sent == large_summary.emails_sent == 4
    assert large == small, f"{small} queries for 10 actions, {large} for 200"
    # The log is written in one INSERT, except where SQLite's 999-parameter limit makes Django split it.
    fields = [f for f in NotificationLog._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * large_summary.new)
    assert small_inserts == 1
    assert large_inserts == math.ceil(large_summary.new / batch)
    if connection.vendor == "postgresql":
        assert large_inserts == 1


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
