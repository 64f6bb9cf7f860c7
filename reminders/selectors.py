"""What is due to whom on a given day, and what has been sent.

Every function here is set-based: deciding a day's reminders takes the same handful of
queries whether there are ten actions or ten thousand. Dates that repeat (weekly
overdue reminders, stale checks every N days) are turned into a list of matching dates
so that the database does the matching, with the sweep's indexes.

The day is always the local (UK) date of the sweep: a datetime such as completed_at is
compared by its local date, so a sweep just after midnight in British Summer Time does
not look at yesterday's UTC date.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateformat import format as format_date

from recommendations.models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    Inspection,
    OrgUnit,
    Recommendation,
    Role,
    User,
)
from recommendations.models.actions import overdue
from recommendations.models.inspections import addressed_to_any

from .models import DigestFrequency, NotificationLog, ReminderKind, ReminderPreference


@dataclass(frozen=True)
class DueReminder:
    """One reminder the sweep decided on: what, about which action or unit, to whom, and why."""

    kind: str
    recipient_id: int
    recipient_email: str
    reason: str
    details: dict = field(default_factory=dict, compare=False, hash=False)
    action_id: int | None = None
    unit_id: int | None = None
    lead_days: int = 0

    @property
    def key(self):
        return (self.action_id, self.unit_id, self.kind, self.lead_days, self.recipient_id)


def _long_date(day: dt.date) -> str:
    return format_date(day, "j F Y")


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _repeating_dates(*, first: dt.date, every: int, earliest: dt.date | None) -> list[dt.date]:
    """first, first - every, first - 2*every, ... back to earliest (nothing if earliest is None)."""
    if earliest is None or first < earliest:
        return []
    return [first - dt.timedelta(days=every * k) for k in range((first - earliest).days // every + 1)]


class _People:
    """Who leads each unit and who directs each region: two queries, then lookups in memory."""

    def __init__(self):
        self._region_of = dict(OrgUnit.objects.with_region_pk().values_list("pk", "region_pk"))
        self._leaders = defaultdict(list)
        self._directors = defaultdict(list)
        people = (
            User.objects.filter(is_active=True, role__in=[Role.PDU_LEADER, Role.REGIONAL_DIRECTOR], unit__isnull=False)
            .exclude(email="")
            .only("id", "email", "role", "unit_id", "first_name", "last_name", "username")
            .order_by("id")
        )
        for person in people:
            (self._leaders if person.role == Role.PDU_LEADER else self._directors)[person.unit_id].append(person)

    def leaders_of(self, unit_id):
        return self._leaders.get(unit_id, [])

    def directors_for(self, unit_id):
        return self._directors.get(self._region_of.get(unit_id), [])


def _can_receive(user) -> bool:
    return user is not None and user.is_active and bool(user.email)


def _action_details(action: Action) -> dict:
    return {
        "action_id": action.pk,
        "description": action.description,
        "recommendation": action.recommendation.label,
        "inspection": action.recommendation.inspection.title,
        "unit": action.unit.display_name,
        "due_date": action.due_date.isoformat(),
        "status": action.get_status_display(),
        "owner": str(action.owner) if action.owner else "",
    }


def _actions():
    # Live actions only: a draft in a plan awaiting sign-off reminds nobody until it is approved.
    return (
        Action.objects.live().select_related("owner", "unit", "recommendation__inspection").order_by("due_date", "id")
    )


def _to_owner(kind, action, reason, *, lead_days=0):
    if not _can_receive(action.owner):
        return []
    return [
        DueReminder(
            kind=kind,
            recipient_id=action.owner_id,
            recipient_email=action.owner.email,
            reason=reason,
            details=_action_details(action),
            action_id=action.pk,
            lead_days=lead_days,
        )
    ]


def _due_soon(day):
    leads = {day + dt.timedelta(days=lead): lead for lead in settings.REMINDER_DUE_SOON_DAYS}
    reminders = []
    for action in _actions().filter(status__in=OPEN_STATUSES, due_date__in=leads):
        lead = leads[action.due_date]
        when = "tomorrow" if lead == 1 else f"in {_days(lead)}"
        reason = f"Due {when}, on {_long_date(action.due_date)}. You own this action."
        reminders += _to_owner(ReminderKind.DUE_SOON, action, reason, lead_days=lead)
    return reminders


def _overdue(day, earliest_due, people):
    every = settings.REMINDER_OVERDUE_REPEAT_DAYS
    escalate_after = settings.REMINDER_ESCALATE_AFTER_DAYS
    # The day after the due date, then every `every` days while it stays open.
    dates = _repeating_dates(first=day - dt.timedelta(days=1), every=every, earliest=earliest_due)
    reminders = []
    for action in _actions().filter(status__in=OPEN_STATUSES, due_date__in=dates):
        late = (day - action.due_date).days
        overdue = f"Overdue by {_days(late)}: it was due on {_long_date(action.due_date)}."
        reminders += _to_owner(ReminderKind.OVERDUE, action, f"{overdue} You own this action.")
        if late <= escalate_after:
            continue
        escalated_to = [(leader, "the unit's PDU leader") for leader in people.leaders_of(action.unit_id)]
        escalated_to += [(director, "the regional director") for director in people.directors_for(action.unit_id)]
        seen = {action.owner_id}
        for person, as_role in escalated_to:
            if person.pk in seen:
                continue
            seen.add(person.pk)
            reminders.append(
                DueReminder(
                    kind=ReminderKind.ESCALATION,
                    recipient_id=person.pk,
                    recipient_email=person.email,
                    reason=f"{overdue} Sent to you as {as_role}: it is more than {_days(escalate_after)} overdue.",
                    details=_action_details(action),
                    action_id=action.pk,
                )
            )
    return reminders


def _stale(day, earliest_activity):
    every = settings.REMINDER_STALE_AFTER_DAYS
    dates = _repeating_dates(first=day - dt.timedelta(days=every), every=every, earliest=earliest_activity)
    reminders = []
    actions = (
        _actions()
        .filter(status__in=OPEN_STATUSES)
        .annotate(last_activity=Coalesce("last_update_at", "created_at"))
        .filter(last_activity__date__in=dates)
    )
    for action in actions:
        quiet = (day - timezone.localdate(action.last_activity)).days
        since = "update" if action.last_update_at else "creation"
        reason = (
            f"No progress update for {_days(quiet)} (since its {since} on "
            f"{_long_date(timezone.localdate(action.last_activity))}). Please log progress. You own this action."
        )
        reminders += _to_owner(ReminderKind.STALE, action, reason)
    return reminders


def still_applies(*, kind, about: dt.date, recorded_at, status, due_date, last_update_at, day: dt.date) -> bool:
    """Whether a "due soon" or "no recent progress" reminder recorded at `recorded_at`, about the
    due date `about`, is still true on `day` of an action now in `status`, due on `due_date`
    and last updated at `last_update_at`: the rules of _due_soon and _stale, asked again.

    It stops being true when the action is closed, when a due-soon reminder's due date moved
    or passed (the new date has reminders of its own; a passed one, overdue reminders), and
    when progress was logged after a no-recent-progress reminder.
    """
    if status not in OPEN_STATUSES:
        return False
    if kind == ReminderKind.DUE_SOON:
        return due_date == about and due_date >= day
    if kind == ReminderKind.STALE:
        return last_update_at is None or last_update_at <= recorded_at
    return True


def _awaiting_verification(day, earliest_completed, people):
    after = settings.REMINDER_VERIFY_AFTER_DAYS
    every = settings.REMINDER_OVERDUE_REPEAT_DAYS
    dates = _repeating_dates(first=day - dt.timedelta(days=after + 1), every=every, earliest=earliest_completed)
    reminders = []
    for action in _actions().filter(status=ActionStatus.COMPLETED, completed_at__date__in=dates):
        completed_on = timezone.localdate(action.completed_at)
        waited = (day - completed_on).days
        reason = (
            f"Marked complete on {_long_date(completed_on)} and waiting {_days(waited)} for verification. "
            "Sent to you as the regional director."
        )
        for director in people.directors_for(action.unit_id):
            if director.pk == action.owner_id:
                continue  # nobody verifies their own action
            reminders.append(
                DueReminder(
                    kind=ReminderKind.AWAITING_VERIFICATION,
                    recipient_id=director.pk,
                    recipient_email=director.email,
                    reason=reason,
                    details=_action_details(action),
                    action_id=action.pk,
                )
            )
    return reminders


def _inspection_digest_contents(day, unit_ids):
    """Per unit: recommendations not yet fully verified, overdue actions, actions without evidence."""
    contents = {
        unit_id: {"recommendations": [], "overdue_actions": [], "actions_without_evidence": []} for unit_id in unit_ids
    }
    recommendations = (
        Recommendation.objects.filter(addressed_to_any(unit_ids) | Q(inspection__unit__in=unit_ids))
        .select_related("inspection")
        .prefetch_related("addressees")
        .annotate(
            # Drafts awaiting sign-off are not counted, as on every page.
            live_actions=Count(
                "actions", filter=~Q(actions__status=ActionStatus.CANCELLED) & ~Q(actions__in=Action.objects.drafts())
            ),
            verified_actions=Count("actions", filter=Q(actions__status=ActionStatus.VERIFIED)),
        )
        .with_done()
        .order_by("inspection__published_on", "number")
    )
    for rec in recommendations:
        if rec.done:
            continue
        item = {
            "label": rec.label,
            "inspection": rec.inspection.title,
            "text": rec.text,
            "actions": rec.live_actions,
            "verified": rec.verified_actions,
        }
        # A recommendation addressed jointly is in each addressee's digest.
        addressed = {unit.pk for unit in rec.addressees.all()}
        for unit_id in (addressed | {rec.inspection.unit_id}) & set(unit_ids):
            contents[unit_id]["recommendations"].append(item)

    # A unit's actions and HMPPS's on its inspections, as its dashboard counts them.
    def unit_of(action):
        return action.unit_id if action.unit_id in contents else action.recommendation.inspection.unit_id

    for action in _actions().answering_for(unit_ids).overdue(today=day):
        item = _action_details(action) | {"days_overdue": (day - action.due_date).days}
        contents[unit_of(action)]["overdue_actions"].append(item)
    without = (
        _actions()
        .answering_for(unit_ids)
        .exclude(status=ActionStatus.CANCELLED)
        .with_has_evidence()
        .filter(has_evidence=False)
    )
    for action in without:
        contents[unit_of(action)]["actions_without_evidence"].append(_action_details(action))
    return contents


def _before_inspection(day, people):
    leads = {day + dt.timedelta(days=lead): lead for lead in settings.REMINDER_INSPECTION_LEAD_DAYS}
    due_units = {}
    inspections = Inspection.objects.filter(next_inspection_expected__in=leads).select_related("unit")
    for inspection in inspections.order_by("next_inspection_expected", "id"):
        due_units.setdefault(inspection.unit_id, (inspection.unit, inspection.next_inspection_expected))
    if not due_units:
        return []
    contents = _inspection_digest_contents(day, list(due_units))
    reminders = []
    for unit_id, (unit, expected) in due_units.items():
        lead = leads[expected]
        details = {"unit": unit.display_name, "next_inspection": expected.isoformat(), **contents[unit_id]}
        recipients = [(leader, "the unit's PDU leader") for leader in people.leaders_of(unit_id)]
        recipients += [(director, "the regional director") for director in people.directors_for(unit_id)]
        seen = set()
        for person, as_role in recipients:
            if person.pk in seen:
                continue
            seen.add(person.pk)
            reason = (
                f"The next inspection of {unit.display_name} is expected on {_long_date(expected)}, "
                f"in {_days(lead)}. Sent to you as {as_role}."
            )
            reminders.append(
                DueReminder(
                    kind=ReminderKind.BEFORE_INSPECTION,
                    recipient_id=person.pk,
                    recipient_email=person.email,
                    reason=reason,
                    details=details,
                    unit_id=unit_id,
                    lead_days=lead,
                )
            )
    return reminders


def reminders_due(*, day: dt.date) -> list[DueReminder]:
    """Every reminder due on `day` (a local date), before any check of what was already sent."""
    open_actions = Q(status__in=OPEN_STATUSES)
    bounds = Action.objects.aggregate(
        earliest_due=Min("due_date", filter=overdue(today=day)),
        earliest_activity=Min(Coalesce("last_update_at", "created_at"), filter=open_actions),
        earliest_completed=Min("completed_at", filter=Q(status=ActionStatus.COMPLETED)),
    )

    def local(moment):
        return timezone.localdate(moment) if moment else None

    people = _People()
    return [
        *_due_soon(day),
        *_overdue(day, bounds["earliest_due"], people),
        *_stale(day, local(bounds["earliest_activity"])),
        *_awaiting_verification(day, local(bounds["earliest_completed"]), people),
        *_before_inspection(day, people),
    ]


def recorded_keys(*, day: dt.date) -> set[tuple]:
    """The keys of the reminders already recorded for `day`."""
    rows = NotificationLog.objects.filter(for_date=day).values_list(
        "action_id", "unit_id", "kind", "lead_days", "recipient_id"
    )
    return set(rows)


def notifications_for_action(action):
    """What the service has sent (or tried to send) about an action, newest first."""
    return NotificationLog.objects.filter(action=action).select_related("recipient").order_by("-created_at", "-id")


def notifications_for_user(user):
    """The reminders recorded for a person, newest first, with what each was about."""
    return (
        NotificationLog.objects.filter(recipient=user)
        .select_related("action", "unit")
        .only(
            "kind",
            "for_date",
            "reason",
            "details",
            "status",
            "sent_at",
            "recipient_id",
            "action__description",
            "unit__name",
            "unit__short_name",
        )
        .order_by("-for_date", "-id")
    )


def reminder_frequency(user) -> str:
    """How often the person takes the reminders they may take weekly (daily unless they chose)."""
    preference = ReminderPreference.objects.filter(user=user).values_list("routine_reminders", flat=True).first()
    return preference or DigestFrequency.DAILY
