"""What goes in a user's calendar feed: their actions' due dates and their unit's next inspection."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from recommendations.models import Action, ActionStatus, Inspection

from ..models import CalendarFeed


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    day: date
    summary: str
    description: str
    path: str
    status: str  # the iCalendar STATUS: CONFIRMED or CANCELLED
    last_modified: object


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed with this token, for an active user; None for an unknown or revoked token."""
    if not token:
        return None
    return (
        CalendarFeed.objects.select_related("user", "user__unit")
        .filter(token_hash=CalendarFeed.hash_token(token), user__is_active=True)
        .first()
    )


def _status_words(action):
    if action.status == ActionStatus.VERIFIED:
        return "Verified"
    if action.status == ActionStatus.COMPLETED:
        return "Completed, awaiting verification"
    return action.get_status_display()


def calendar_entries(user, *, action_path, inspection_path) -> list[CalendarEntry]:
    """The user's own actions (one all-day event on each current due date) and their unit's next inspection."""
    entries = []
    actions = (
        Action.objects.filter(owner=user)
        .select_related("recommendation__inspection", "unit")
        .order_by("due_date", "id")
    )
    for action in actions:
        recommendation = action.recommendation
        lines = [
            action.description,
            "",
            f"Status: {_status_words(action)}",
            f"{recommendation.label} of {recommendation.inspection}: {recommendation.text}",
        ]
        if action.was_revised:
            lines.insert(2, f"Due date revised from {action.original_due_date:%d %B %Y}.")
        entries.append(
            CalendarEntry(
                uid=f"action-{action.pk}",
                day=action.due_date,
                summary=f"Action due: {action.description[:80]}",
                description="\n".join(lines),
                path=action_path(action),
                status="CANCELLED" if action.status == ActionStatus.CANCELLED else "CONFIRMED",
                last_modified=action.updated_at,
            )
        )
    if user.unit_id:
        inspection = (
            Inspection.objects.filter(unit_id=user.unit_id, next_inspection_expected__gte=timezone.localdate())
            .order_by("-published_on")
            .first()
        )
        if inspection is not None:
            entries.append(
                CalendarEntry(
                    uid=f"next-inspection-{inspection.unit_id}-{inspection.pk}",
                    day=inspection.next_inspection_expected,
                    summary=f"Next inspection expected: {inspection.unit.name}",
                    description=f"The next inspection after {inspection} is expected from this date.",
                    path=inspection_path(inspection),
                    status="TENTATIVE",
                    last_modified=None,
                )
            )
    return entries
