"""The reminders the daily sweep would have sent over the past year, as sent emails.

For each generated action: the due-soon reminders before its due date while it was
open, and the weekly overdue reminders of an action still open after its due date
(the most recent ones only). Each person gets one email per day listing that day's
reminders, as the sweep groups them.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings

from recommendations.models import ActionStatus

HISTORY_DAYS = 365
# An action overdue for months keeps getting a weekly reminder; the last few are enough.
OVERDUE_REMINDERS_KEPT = 8


class ReminderHistory:
    def __init__(self, *, today: date):
        from reminders.models import DeliveryStatus, DigestMessage, NotificationLog, ReminderKind

        self.DigestMessage, self.NotificationLog = DigestMessage, NotificationLog
        self.kinds, self.sent = ReminderKind, DeliveryStatus.SENT
        self.today = today
        self.earliest = today - timedelta(days=HISTORY_DAYS)
        self.due_soon_days = getattr(settings, "REMINDER_DUE_SOON_DAYS", [30, 7, 1])
        self.overdue_every = getattr(settings, "REMINDER_OVERDUE_REPEAT_DAYS", 7)
        self.digests = {}  # (recipient id, day) -> DigestMessage

    @staticmethod
    def _closed_on(action) -> date | None:
        if action.status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
            return action.completed_at.date()
        if action.status == ActionStatus.CANCELLED:
            return action.last_update_at.date() if action.last_update_at else action.created_at.date()
        return None

    def _reminders(self, action):
        """(kind, day, lead days, reason) for every reminder about `action` in the past year."""
        closed_on = self._closed_on(action)
        for lead in self.due_soon_days:
            day = action.due_date - timedelta(days=lead)
            if self.earliest <= day < self.today and (closed_on is None or closed_on > day):
                when = "tomorrow" if lead == 1 else f"in {lead} days"
                yield self.kinds.DUE_SOON, day, lead, f"Due {when}, on {action.due_date:%-d %B %Y}."
        if closed_on is None and action.due_date < self.today:
            days = []
            day = action.due_date + timedelta(days=1)
            while day < self.today:
                if day >= self.earliest:
                    days.append(day)
                day += timedelta(days=self.overdue_every)
            for day in days[-OVERDUE_REMINDERS_KEPT:]:
                late = (day - action.due_date).days
                yield self.kinds.OVERDUE, day, 0, f"Overdue by {late} days: it was due on {action.due_date:%-d %B %Y}."

    def rows_for(self, actions):
        """New digests (to save first) and the notifications that belong to them, for saved actions."""
        new_digests, notifications = [], []
        for action in actions:
            owner = action.owner
            if owner is None:
                continue
            for kind, day, lead, reason in self._reminders(action):
                sent_at = datetime.combine(day, time(6, 2), tzinfo=UTC)
                key = (owner.pk, day)
                digest = self.digests.get(key)
                if digest is None:
                    digest = self.DigestMessage(
                        recipient=owner,
                        for_date=day,
                        created_at=sent_at - timedelta(minutes=2),
                        subject="Action plan reminders",
                        sent_at=sent_at,
                    )
                    self.digests[key] = digest
                    new_digests.append(digest)
                notifications.append(
                    self.NotificationLog(
                        kind=kind,
                        action=action,
                        recipient=owner,
                        recipient_email=owner.email,
                        for_date=day,
                        lead_days=lead,
                        reason=f"{reason} You own this action.",
                        details={"description": action.description, "due_date": action.due_date.isoformat()},
                        status=self.sent,
                        attempts=1,
                        claimed_at=sent_at,
                        sent_at=sent_at,
                        digest=digest,
                        created_at=sent_at - timedelta(minutes=2),
                    )
                )
        return new_digests, notifications
