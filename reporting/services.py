"""Every write in reporting: measure readings and calendar feed tokens."""

import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import CalendarFeed, Measure, MeasureReading


@transaction.atomic
def add_measure_reading(
    *, measure: Measure, taken_on: date, value: Decimal, source: str, recorded_by, note: str = ""
) -> MeasureReading:
    """Record a new reading. A percentage lies between 0 and 100; a reading cannot be from the future."""
    errors = {}
    source = source.strip()
    if not source:
        errors["source"] = "Enter where the figure comes from, for example 'internal audit of 40 cases'."
    if taken_on > timezone.localdate():
        errors["taken_on"] = "The date of the reading must be today or in the past."
    if measure.is_percentage and not (0 <= value <= 100):
        errors["value"] = "Enter a percentage between 0 and 100."
    elif value < 0:
        errors["value"] = "Enter a value of 0 or more."
    if errors:
        raise ValidationError(errors)
    return MeasureReading.objects.create(
        measure=measure,
        taken_on=taken_on,
        value=value,
        source=source,
        note=note.strip(),
        recorded_by=recorded_by,
        recorded_at=timezone.now(),
    )


@transaction.atomic
def issue_calendar_feed(*, user) -> str:
    """Make (or remake) the user's feed; returns the secret token, which is never stored.

    Remaking it stops the old address working at once.
    """
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user,
        defaults={"token_hash": CalendarFeed.hash_token(token), "created_at": timezone.now(), "last_used_at": None},
    )
    return token


def revoke_calendar_feed(*, user) -> None:
    # Through the row's own delete(), so the history records who turned the feed off.
    try:
        feed = user.calendar_feed
    except CalendarFeed.DoesNotExist:
        return
    feed._history_user = user
    feed.delete()


def note_calendar_feed_used(*, feed: CalendarFeed) -> None:
    """Stamp when a calendar app last fetched the feed (at most once an hour, to spare writes)."""
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > timedelta(hours=1):
        feed.last_used_at = now
        feed.save(update_fields=["last_used_at"])
