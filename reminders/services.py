"""The daily reminder sweep, and the delivery of each person's email.

The sweep works like an outbox:

1. record: every reminder due today is written to the notification log under its
   unique key before anything is sent (bulk insert, conflicts ignored), so a second
   sweep, or two at once, records nothing twice;
2. group: the day's undelivered reminders are put into one email per person, claimed
   with a conditional update (only rows not yet in an email), so no reminder lands in
   two emails;
3. deliver: each email's rows are claimed with a conditional update (pending, failed
   with attempts left, or abandoned mid-send after a lease), sent, then marked sent,
   or failed with the error. A claim that finds nothing means someone else sent it.

Delivery is at least once per claim: if a sender dies after the email left but before
it marked the rows sent, the lease runs out and the email is sent again. The lease is
there so that this happens only after a crash, never because two workers raced: it is
short (two minutes) and renewed while the email is being sent.
"""

import datetime as dt
import logging
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, F, Min, Value, When
from django.utils import timezone

from . import selectors
from .emails import compose_digest
from .models import (
    WEEKLY_KINDS,
    DeliveryStatus,
    DigestFrequency,
    DigestMessage,
    NotificationLog,
    ReminderPreference,
)
from .senders import get_sender

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """The email could not be sent; the error is recorded on its reminders."""


@dataclass
class DeliveryOutcome:
    digest_id: int
    sent: int = 0  # reminders delivered in this attempt
    error: str = ""
    busy_for: float = 0.0  # seconds left on another sender's claim


@dataclass
class SweepSummary:
    day: dt.date
    due: Counter = field(default_factory=Counter)  # reminders due today, by kind, sent before or not
    new: int = 0  # reminders recorded for the first time by this run
    recipients: int = 0  # people with an email to go this run
    emails_queued: int = 0
    emails_sent: int = 0
    emails_failed: int = 0
    dry_run: bool = False


def _lease_cutoff(now):
    return now - dt.timedelta(seconds=settings.REMINDER_SEND_LEASE_SECONDS)


@contextmanager
def _claim_kept(token):
    """Renew a claim every third of the lease while the email is being sent.

    The lease is short, so that an email whose sender died waits minutes, not ten; a slow
    but living sender keeps its claim, so nobody else sends the same email meanwhile.
    """
    stop = threading.Event()

    def renew():
        try:
            while not stop.wait(settings.REMINDER_SEND_LEASE_SECONDS / 3):
                NotificationLog.objects.filter(claim_token=token, status=DeliveryStatus.SENDING).update(
                    claimed_at=timezone.now()
                )
        finally:
            connection.close()  # this thread's own database connection

    renewer = threading.Thread(target=renew, name=f"reminder-claim-{token}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()


def _retryable(now):
    return NotificationLog.objects.retryable(
        lease_expired_before=_lease_cutoff(now), max_attempts=settings.REMINDER_MAX_ATTEMPTS
    )


def record_reminders(*, day: dt.date, reminders: list[selectors.DueReminder]) -> None:
    NotificationLog.objects.bulk_create(
        [
            NotificationLog(
                kind=reminder.kind,
                action_id=reminder.action_id,
                unit_id=reminder.unit_id,
                recipient_id=reminder.recipient_id,
                recipient_email=reminder.recipient_email,
                for_date=day,
                lead_days=reminder.lead_days,
                reason=reminder.reason,
                details=reminder.details,
            )
            for reminder in reminders
        ],
        ignore_conflicts=True,
    )


def withdraw_lapsed_reminders(*, day: dt.date) -> int:
    """Mark "not needed" the reminders waiting for an email that are no longer true on `day`
    (selectors.still_applies): those held for a weekly email while the action was closed, its
    due date moved or passed, or progress was logged. Returns how many.

    Only rows still pending and in no email move (the same claim as grouping), so a reminder
    already on its way is never withdrawn.
    """
    waiting = NotificationLog.objects.filter(
        status=DeliveryStatus.PENDING, digest__isnull=True, kind__in=WEEKLY_KINDS, action__isnull=False
    )
    rows = waiting.values_list(
        "pk",
        "kind",
        "for_date",
        "lead_days",
        "created_at",
        "action__status",
        "action__due_date",
        "action__last_update_at",
    )
    lapsed = [
        pk
        for pk, kind, for_date, lead_days, recorded_at, status, due_date, last_update_at in rows
        if not selectors.still_applies(
            kind=kind,
            about=for_date + dt.timedelta(days=lead_days),
            recorded_at=recorded_at,
            status=status,
            due_date=due_date,
            last_update_at=last_update_at,
            day=day,
        )
    ]
    if not lapsed:
        return 0
    return waiting.filter(pk__in=lapsed).update(status=DeliveryStatus.WITHDRAWN)


def group_into_digests(*, day: dt.date) -> tuple[list[int], int]:
    """Put every ungrouped pending reminder that may go today, and is still true, into one email per person.

    Returns the new emails' ids and how many reminders went into them.
    """
    withdraw_lapsed_reminders(day=day)
    # Reminders their recipient takes weekly wait, pending, for the weekly day.
    ungrouped = NotificationLog.objects.filter(status=DeliveryStatus.PENDING, digest__isnull=True).ready_for_digest(
        day=day
    )
    recipients = sorted(set(ungrouped.values_list("recipient_id", flat=True)))
    if not recipients:
        return [], 0
    digests = DigestMessage.objects.bulk_create([DigestMessage(recipient_id=pk, for_date=day) for pk in recipients])
    digest_of = {digest.recipient_id: digest.pk for digest in digests}
    # The claim: only rows still without an email move, so a sweep running alongside
    # cannot put the same reminder in a second email.
    grouped = ungrouped.filter(recipient_id__in=recipients).update(
        digest_id=Case(
            *[When(recipient_id=recipient, then=Value(pk)) for recipient, pk in digest_of.items()],
            output_field=BigIntegerField(),
        )
    )
    used = set(
        NotificationLog.objects.filter(digest_id__in=digest_of.values())
        .order_by()
        .values_list("digest_id", flat=True)
        .distinct()
    )
    if unused := set(digest_of.values()) - used:
        DigestMessage.objects.filter(pk__in=unused).delete()
    return sorted(used), grouped


def digests_to_deliver(*, now=None) -> list[int]:
    """Emails with reminders still to send: new, failed with attempts left, or abandoned mid-send."""
    now = now or timezone.now()
    # A sender that died on the last allowed attempt leaves its rows 'sending' for ever:
    # say plainly that they failed, so the log does not claim they are on their way.
    NotificationLog.objects.filter(
        status=DeliveryStatus.SENDING,
        claimed_at__lt=_lease_cutoff(now),
        attempts__gte=settings.REMINDER_MAX_ATTEMPTS,
    ).update(status=DeliveryStatus.FAILED, error="The sender stopped during the last allowed attempt.")
    rows = _retryable(now).filter(digest__isnull=False).order_by("digest_id").values_list("digest_id", flat=True)
    return list(rows.distinct())


def deliver_digest(*, digest_id: int, sender=None) -> DeliveryOutcome:
    """Claim one email's undelivered reminders, send them, and record what happened."""
    now = timezone.now()
    token = uuid.uuid4()
    claimed = (
        _retryable(now)
        .filter(digest_id=digest_id)
        .update(status=DeliveryStatus.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    )
    if not claimed:
        held = NotificationLog.objects.filter(
            digest_id=digest_id, status=DeliveryStatus.SENDING, claimed_at__gte=_lease_cutoff(now)
        ).aggregate(since=Min("claimed_at"))["since"]
        if held is None:
            return DeliveryOutcome(digest_id=digest_id)  # already sent, or out of attempts
        lease_left = (held - _lease_cutoff(now)).total_seconds()
        return DeliveryOutcome(digest_id=digest_id, busy_for=max(lease_left, 1.0))

    notifications = list(
        NotificationLog.objects.filter(claim_token=token).order_by("kind", "action_id", "unit_id", "id")
    )
    digest = DigestMessage.objects.select_related("recipient").get(pk=digest_id)
    email = compose_digest(digest, notifications)
    try:
        with _claim_kept(token):
            reference = (sender or get_sender()).send(email)
    except Exception as exc:  # any transport error: record it on the rows and let the caller retry
        error = f"{type(exc).__name__}: {exc}"[:2000]
        NotificationLog.objects.filter(claim_token=token, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.FAILED, error=error
        )
        logger.warning("Reminder email %s to %s failed: %s", digest_id, email.to, error)
        return DeliveryOutcome(digest_id=digest_id, error=error)

    sent_at = timezone.now()
    sent = NotificationLog.objects.filter(claim_token=token, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=sent_at, error=""
    )
    DigestMessage.objects.filter(pk=digest_id).update(
        subject=email.subject[:200], sent_at=sent_at, provider_reference=(reference or "")[:100]
    )
    logger.info("Reminder email %s sent to %s with %d reminders", digest_id, email.to, sent)
    return DeliveryOutcome(digest_id=digest_id, sent=sent)


def run_sweep(
    *, day: dt.date, deliver: Callable[[int], DeliveryOutcome | None] | None = None, dry_run: bool = False
) -> SweepSummary:
    """Record the day's reminders, group them per person, and hand each email to `deliver`.

    `deliver` is called with each email's id: the Celery task enqueues a send task,
    the management command sends straight away. With dry_run, nothing is written or sent.
    """
    due = selectors.reminders_due(day=day)
    summary = SweepSummary(day=day, due=Counter(reminder.kind for reminder in due), dry_run=dry_run)
    if dry_run:
        recorded = selectors.recorded_keys(day=day)
        new = [reminder for reminder in due if reminder.key not in recorded]
        summary.new = len(new)
        summary.recipients = len({reminder.recipient_id for reminder in new})
        return summary

    record_reminders(day=day, reminders=due)
    _, summary.new = group_into_digests(day=day)
    to_deliver = digests_to_deliver()
    recipients = DigestMessage.objects.filter(pk__in=to_deliver).values_list("recipient_id", flat=True)
    summary.recipients = len(set(recipients))
    deliver = deliver or (lambda digest_id: deliver_digest(digest_id=digest_id))
    for digest_id in to_deliver:
        outcome = deliver(digest_id)
        if outcome is None:
            summary.emails_queued += 1
        elif outcome.error:
            summary.emails_failed += 1
        elif outcome.sent:
            summary.emails_sent += 1
    return summary


@transaction.atomic
def set_reminder_frequency(*, user, routine_reminders: str) -> ReminderPreference:
    """Choose daily or weekly emails for the reminders a person may take weekly (models.WEEKLY_KINDS).

    Reminders already waiting for a weekly email go with the next sweep after a change
    back to daily: nothing recorded is lost.
    """
    if routine_reminders not in DigestFrequency.values:
        raise ValidationError({"routine_reminders": "Select how often you want these reminders"})
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    preference.routine_reminders = routine_reminders
    preference.save()
    return preference
