"""Turns a person's reminders for the day into one email with a plain-text and an HTML part."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.dateformat import format as format_date

from .links import action_url, site_url
from .models import DigestMessage, NotificationLog, ReminderKind
from .senders import OutgoingEmail

# Most pressing first: what is already late, then what is coming, then the rest.
SECTION_ORDER = [
    (ReminderKind.ESCALATION, "Overdue actions escalated to you"),
    (ReminderKind.OVERDUE, "Your overdue actions"),
    (ReminderKind.DUE_SOON, "Your actions due soon"),
    (ReminderKind.STALE, "Your actions with no recent progress update"),
    (ReminderKind.AWAITING_VERIFICATION, "Completed actions waiting for you to verify them"),
    (ReminderKind.BEFORE_INSPECTION, "Getting ready for the next inspection"),
]


def _long_date(iso: str) -> str:
    return format_date(datetime.date.fromisoformat(iso), "j F Y")


def _for_display(details: dict) -> dict:
    """The stored snapshot, with links to the action pages and dates written out."""
    shown = dict(details)
    if "action_id" in shown:
        shown["url"] = action_url(shown["action_id"])
    for key in ("due_date", "next_inspection"):
        if key in shown:
            shown[key] = _long_date(shown[key])
    for key in ("overdue_actions", "actions_without_evidence"):
        if key in shown:
            shown[key] = [_for_display(item) for item in shown[key]]
    return shown


def compose_digest(digest: DigestMessage, notifications: list[NotificationLog]) -> OutgoingEmail:
    by_kind = {}
    for notification in notifications:
        # A reminder that waited for a weekly email says which day's it is: its reason speaks of that day.
        held_since = notification.for_date if notification.for_date != digest.for_date else None
        by_kind.setdefault(notification.kind, []).append(
            {"reason": notification.reason, "details": _for_display(notification.details), "held_since": held_since}
        )
    sections = [{"title": title, "items": by_kind[kind]} for kind, title in SECTION_ORDER if kind in by_kind]
    count = len(notifications)
    plural = "s" if count != 1 else ""
    subject = f"{settings.SERVICE_NAME}: {count} reminder{plural} for {format_date(digest.for_date, 'j F Y')}"
    context = {
        "recipient": digest.recipient,
        "for_date": digest.for_date,
        "sections": sections,
        "count": count,
        "service_name": settings.SERVICE_NAME,
        "site_url": site_url(),
    }
    return OutgoingEmail(
        to=notifications[0].recipient_email,
        subject=subject,
        text=render_to_string("reminders/email/digest.txt", context),
        html=render_to_string("reminders/email/digest.html", context),
        reference=f"reminder-digest-{digest.pk}",
    )
