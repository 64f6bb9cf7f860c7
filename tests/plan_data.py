"""Test data for the action plan and dashboards: a small organisation, and plans of any size.

`bulk_plan` builds actions with bulk_create so that a thousand-action plan takes well
under a second; the mix of statuses, dates and evidence exercises every column.
"""

import datetime as dt
import itertools
from dataclasses import dataclass

from django.utils import timezone

from recommendations.models import Action, ActionStatus, Evidence, EvidenceKind, OrgUnit, User
from tests.factories import (
    DirectorFactory,
    InspectionFactory,
    NationalUnitFactory,
    NationalViewerFactory,
    PDUFactory,
    RecommendationFactory,
    RegionFactory,
    UserFactory,
)

TODAY = dt.date(2026, 11, 2)


@dataclass
class Organisation:
    hmpps: OrgUnit
    east_midlands: OrgUnit
    derby_city: OrgUnit
    derbyshire: OrgUnit
    wales: OrgUnit
    cardiff: OrgUnit
    derby_lead: User
    derbyshire_lead: User
    director: User
    wales_director: User
    viewer: User


def build_organisation() -> Organisation:
    hmpps = NationalUnitFactory()
    east_midlands = RegionFactory(name="Probation Service – East Midlands", slug="east-midlands", parent=hmpps)
    wales = RegionFactory(name="Probation Service – Wales", slug="wales", parent=hmpps)
    derby_city = PDUFactory(name="Derby City", slug="derby-city", parent=east_midlands)
    derbyshire = PDUFactory(name="Derbyshire", slug="derbyshire", parent=east_midlands)
    cardiff = PDUFactory(name="Cardiff and Vale", slug="cardiff", parent=wales)
    return Organisation(
        hmpps=hmpps,
        east_midlands=east_midlands,
        derby_city=derby_city,
        derbyshire=derbyshire,
        wales=wales,
        cardiff=cardiff,
        derby_lead=UserFactory(username="derby.lead", first_name="Dana", last_name="Derby", unit=derby_city),
        derbyshire_lead=UserFactory(username="shire.lead", first_name="Sam", last_name="Shire", unit=derbyshire),
        director=DirectorFactory(username="em.director", first_name="Em", last_name="Director", unit=east_midlands),
        wales_director=DirectorFactory(username="wales.director", unit=wales),
        viewer=NationalViewerFactory(username="hmpps.viewer", unit=hmpps),
    )


STATUS_CYCLE = [
    ActionStatus.NOT_STARTED,
    ActionStatus.IN_PROGRESS,
    ActionStatus.IN_PROGRESS,
    ActionStatus.BLOCKED,
    ActionStatus.COMPLETED,
    ActionStatus.VERIFIED,
    ActionStatus.CANCELLED,
]


def bulk_plan(*, unit: OrgUnit, owner: User, verifier: User, actions: int, recommendations: int = 5, today=TODAY):
    """An inspection of `unit` with `recommendations` recommendations and `actions` actions spread
    over all but the last recommendation (which stays without an action)."""
    inspection = InspectionFactory(unit=unit, title=f"An inspection of probation services in {unit.name}")
    recs = [
        RecommendationFactory(inspection=inspection, number=number, addressed_to=unit)
        for number in range(1, recommendations + 1)
    ]
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(9)))
    statuses = itertools.cycle(STATUS_CYCLE)
    rags = itertools.cycle(["", "green", "amber", "red", "green"])
    built = []
    for index in range(actions):
        status = next(statuses)
        due = today + dt.timedelta(days=(index % 90) - 30)
        closed = status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED)
        built.append(
            Action(
                recommendation=recs[index % max(1, recommendations - 1)],
                description=f"Action {index} for {unit.name}",
                owner=owner,
                unit=unit,
                original_due_date=due if index % 4 else due - dt.timedelta(days=14),
                due_date=due,
                status=status,
                self_rag=next(rags),
                completed_at=now if closed else None,
                completed_by=owner if closed else None,
                verified_at=now if status == ActionStatus.VERIFIED else None,
                verified_by=verifier if status == ActionStatus.VERIFIED else None,
                last_update_at=now - dt.timedelta(days=index % 80),
            )
        )
    created = Action.objects.bulk_create(built)
    Evidence.objects.bulk_create(
        Evidence(
            action=action,
            kind=EvidenceKind.LINK,
            title=f"Evidence for action {action.pk}",
            url="https://intranet.justice.example/evidence",
            added_by=owner,
            added_at=now,
        )
        for action in created[::3]
    )
    return inspection, recs, created
