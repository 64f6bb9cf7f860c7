"""A small region for the reminder sweep's tests: a PDU, its leader, an owner, the director,
and a helper to add actions on a given day; the sweep run as the 07:00 scheduled run would."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from recommendations.models import Role
from reminders import services
from reminders.models import NotificationLog
from tests.factories import (
    ActionFactory,
    DirectorFactory,
    InspectionFactory,
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
