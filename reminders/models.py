"""The notification log: every reminder the service decided to send, and what became of it.

A reminder is recorded here, under a unique key, before anything is sent. The key
(the action or unit it is about, its kind, the day it is for, the lead time, the
recipient) is a unique constraint in the database, so running the daily sweep twice,
or in two processes at once, records each reminder once. Sending then claims the rows
with a conditional update, so each reminder is emailed at most once however many
workers try (see reminders.services).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    ESCALATION = "escalation", "Overdue – escalated"
    STALE = "stale", "No recent progress update"
    AWAITING_VERIFICATION = "awaiting_verification", "Awaiting verification"
    BEFORE_INSPECTION = "before_inspection", "Before the next inspection"


class DigestFrequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


# The reminders a person may take once a week instead of on the day: nothing is late yet
# (due soon) or the owner alone is asked to act (no recent progress). Overdue reminders,
# escalations, verification requests and before-inspection reminders always go on the day.
WEEKLY_KINDS = (ReminderKind.DUE_SOON, ReminderKind.STALE)


class ReminderPreference(models.Model):
    """How often a person wants the reminders they may take weekly (WEEKLY_KINDS)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="reminder_preference"
    )
    routine_reminders = models.CharField(
        "reminders about actions due soon or with no recent progress",
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.DAILY,
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "reminder preference"

    def __str__(self):
        return f"{self.user}: {self.get_routine_reminders_display().lower()}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # Held for a weekly email, but no longer true when it went (services.withdraw_lapsed_reminders).
    WITHDRAWN = "withdrawn", "Not needed"


class DigestMessage(models.Model):
    """One email to one person, listing every reminder due to them that day."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    for_date = models.DateField(help_text="The day of the sweep that produced this email.")
    created_at = models.DateTimeField(auto_now_add=True)
    subject = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_reference = models.CharField(
        max_length=100, blank=True, help_text="The email's message id, or GOV.UK Notify's notification id."
    )

    class Meta:
        ordering = ["-for_date", "-id"]
        verbose_name = "reminder email"

    def __str__(self):
        return f"Reminder email to {self.recipient} for {self.for_date:%d %b %Y}"


class NotificationLogQuerySet(models.QuerySet):
    def ready_for_digest(self, *, day):
        """Rows that may go into an email made on `day`.

        A reminder of a kind its recipient takes weekly waits, still pending, for the
        weekly day (REMINDER_WEEKLY_DIGEST_WEEKDAY, 0 = Monday); everything else goes the day it is due.
        """
        if day.weekday() == settings.REMINDER_WEEKLY_DIGEST_WEEKDAY:
            return self
        return self.exclude(
            kind__in=WEEKLY_KINDS, recipient__reminder_preference__routine_reminders=DigestFrequency.WEEKLY
        )

    def held_for_weekly_digest(self):
        """Pending rows of the kinds their recipient takes weekly: they wait for the weekly email."""
        return self.filter(
            status=DeliveryStatus.PENDING,
            digest__isnull=True,
            kind__in=WEEKLY_KINDS,
            recipient__reminder_preference__routine_reminders=DigestFrequency.WEEKLY,
        )

    def retryable(self, *, lease_expired_before, max_attempts):
        """Rows a sender may claim: never tried, failed with attempts left, or abandoned mid-send.

        A row stays 'sending' if its sender died; once its lease has run out, it is
        fair game again (at-least-once delivery: the unique key stops re-recording,
        the claim stops two senders at once).
        """
        return self.filter(
            Q(status=DeliveryStatus.PENDING)
            | Q(status=DeliveryStatus.FAILED, attempts__lt=max_attempts)
            | Q(status=DeliveryStatus.SENDING, claimed_at__lt=lease_expired_before, attempts__lt=max_attempts)
        )


class NotificationLog(models.Model):
    """One reminder to one person, about one action (or one unit, before its inspection)."""

    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    action = models.ForeignKey(
        "recommendations.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    unit = models.ForeignKey(
        "recommendations.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    recipient_email = models.EmailField(help_text="The address used, as it was when the reminder was recorded.")
    for_date = models.DateField(help_text="The day (UK time) the reminder is for.")
    lead_days = models.SmallIntegerField(
        default=0, help_text="For due-soon and before-inspection reminders: the days before the date."
    )
    reason = models.TextField(help_text="Why it was sent, as told to the recipient.")
    details = models.JSONField(default=dict, blank=True, help_text="What the email listed, as it was then.")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    digest = models.ForeignKey(
        DigestMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NotificationLogQuerySet.as_manager()

    class Meta:
        ordering = ["-for_date", "-id"]
        verbose_name = "notification"
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "for_date", "lead_days", "recipient"],
                condition=Q(action__isnull=False),
                name="notification_unique_action_key",
            ),
            models.UniqueConstraint(
                fields=["unit", "kind", "for_date", "lead_days", "recipient"],
                condition=Q(action__isnull=True),
                name="notification_unique_unit_key",
            ),
            models.CheckConstraint(
                condition=Q(action__isnull=False, unit__isnull=True) | Q(action__isnull=True, unit__isnull=False),
                name="notification_about_action_or_unit",
            ),
        ]
        indexes = [
            # The sweep looks for undelivered rows; the action page lists an action's rows.
            models.Index(fields=["status", "claimed_at"], name="notification_status_claimed"),
            models.Index(fields=["digest", "status"], name="notification_digest_status"),
            models.Index(fields=["action", "-created_at"], name="notification_action_created"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient_email} for {self.for_date:%d %b %Y}"
