"""Celery tasks: thin wrappers around reminders.services.

Both tasks are safe to run more than once (the notification log's unique key and the
delivery claim see to that), so they acknowledge late and are re-queued if the worker
dies mid-task. No retry is ever scheduled further ahead than half the broker's
visibility timeout: Redis would hand a task held that long to a second worker.
"""

import datetime as dt
import logging

from celery import shared_task
from celery.exceptions import Retry
from django.conf import settings
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)

VISIBILITY_TIMEOUT = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
MAX_COUNTDOWN = max(1, min(settings.REMINDER_RETRY_BACKOFF_MAX_SECONDS, VISIBILITY_TIMEOUT // 2))


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(services.DeliveryFailed,),
    retry_backoff=60,
    retry_backoff_max=MAX_COUNTDOWN,
    retry_jitter=True,
    max_retries=max(0, settings.REMINDER_MAX_ATTEMPTS - 1),
)
def send_reminder_digest(self, digest_id: int) -> int:
    """Send one person's reminder email; retried with backoff if sending fails."""
    outcome = services.deliver_digest(digest_id=digest_id)
    if outcome.busy_for:
        # Another worker holds the claim: look again once its lease has run out.
        raise self.retry(countdown=min(int(outcome.busy_for) + 1, MAX_COUNTDOWN))
    if outcome.error:
        raise services.DeliveryFailed(outcome.error)
    return outcome.sent


def _enqueue(digest_id: int) -> None:
    try:
        send_reminder_digest.delay(digest_id)
    except (services.DeliveryFailed, Retry):
        # Only in-process (eager) runs get here: with no broker there is nobody to run a
        # delayed retry, so the failure stays on the notification log and the next sweep
        # (or the next `send_reminders`) tries again.
        logger.warning("Reminder email %s not sent; it will be retried by the next sweep", digest_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def daily_reminder_sweep(day: str | None = None) -> dict:
    """Decide the day's reminders and queue one send task per person."""
    sweep_day = dt.date.fromisoformat(day) if day else timezone.localdate()
    summary = services.run_sweep(day=sweep_day, deliver=_enqueue)
    return {"day": sweep_day.isoformat(), "new": summary.new, "emails_queued": summary.emails_queued}
