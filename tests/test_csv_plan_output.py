"""The CSV download is byte for byte what it was: the same data gives the same file.

The expected files in tests/expected_csv/ were written by the download as it stood before
its reads and its writing were made faster; any change to a cell, a quote, a line ending,
the order of the rows or the byte-order mark shows here. The data set covers every column's
awkward cases: formulas, quotes, commas and line breaks in text, owners without a name, a
joint recommendation, HMPPS's action on a PDU's inspection, drafts, withdrawn evidence,
updates late in the evening of a summer's day (the next day in London), and recommendations
without an action.
"""

import datetime as dt
import random
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Action, ActionStatus, Evidence, EvidenceKind, PlanState, Response, ResponsePlan
from recommendations.selectors.action_plan import _merged_in_plan_order
from tests.factories import InspectionFactory, RecommendationFactory, UserFactory
from tests.plan_data import TODAY, build_organisation, bulk_plan

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).parent / "expected_csv"
CSV = reverse("recommendations:action_plan_csv")

DOWNLOADS = {
    "director": ("director", {}),
    "director_sorted_by_due_date": ("director", {"sort": "-due_date"}),
    "director_sorted_by_derived_rag": ("director", {"sort": "derived_rag"}),
    "director_sorted_by_owner": ("director", {"sort": "owner"}),
    "director_sorted_by_evidence": ("director", {"sort": "-evidence"}),
    "director_red_and_amber": ("director", {"derived_rag": ["red", "amber"]}),
    "director_blocked_or_no_action": ("director", {"status": ["blocked", "no_action"]}),
    "national_viewer": ("viewer", {}),
    "pdu_leader": ("derby_lead", {"sort": "status"}),
}


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _awkward_plan(org):
    """Rows whose cells need quoting, neutralising, a name from the username, or a local date."""
    inspection = InspectionFactory(
        unit=org.derby_city, title='=An inspection, "quoted", of Derby City', published_on=dt.date(2026, 3, 4)
    )
    joint = RecommendationFactory(
        inspection=inspection,
        number=1,
        addressed_to=org.derby_city,
        text="+Work with partners, jointly,\non the line below – with care",
        response=Response.PARTLY_AGREED,
    )
    joint.addressees.add(org.derbyshire)
    national = RecommendationFactory(
        inspection=inspection, number=2, addressed_to=org.hmpps, text="@HMPPS should fund it", response=Response.AGREED
    )
    RecommendationFactory(inspection=inspection, number=3, addressed_to=org.derby_city, text="-No action yet here")
    nameless = UserFactory(username="nameless.owner", first_name="", last_name="", unit=org.derby_city)
    hmpps_owner = UserFactory(username="hmpps.owner", first_name="Hana", last_name="Ppsley", unit=org.hmpps)
    summer_evening = timezone.make_aware(dt.datetime(2026, 7, 14, 23, 30), dt.UTC)
    rows = [
        Action(
            recommendation=joint,
            unit=org.derby_city,
            owner=nameless,
            description='=HYPERLINK("http://evil.example","click")',
            original_due_date=dt.date(2026, 10, 1),
            due_date=dt.date(2026, 12, 1),
            status=ActionStatus.IN_PROGRESS,
            self_rag="green",
            last_update_at=summer_evening,
        ),
        Action(
            recommendation=joint,
            unit=org.derbyshire,
            owner=org.derbyshire_lead,
            description="\tTabbed, with a comma",
            original_due_date=dt.date(2026, 11, 20),
            due_date=dt.date(2026, 11, 20),
            status=ActionStatus.BLOCKED,
            self_rag="",
            last_update_at=None,
        ),
        Action(
            recommendation=national,
            unit=org.hmpps,
            owner=hmpps_owner,
            description="Fund the work in Derby City",
            original_due_date=dt.date(2027, 6, 30),
            due_date=dt.date(2027, 6, 30),
            status=ActionStatus.NOT_STARTED,
            self_rag="amber",
            last_update_at=timezone.make_aware(dt.datetime(2026, 1, 5, 8, 0), dt.UTC),
        ),
    ]
    first, second, _ = Action.objects.bulk_create(rows)
    Evidence.objects.bulk_create(
        [
            Evidence(
                action=first,
                kind=EvidenceKind.LINK,
                title="Kept",
                url="https://example.org/a",
                added_by=nameless,
                added_at=timezone.now(),
            ),
            Evidence(
                action=first,
                kind=EvidenceKind.LINK,
                title="Withdrawn",
                url="https://example.org/b",
                added_by=nameless,
                added_at=timezone.now(),
                withdrawn_at=timezone.now(),
                withdrawn_by=nameless,
                withdrawal_reason="Sent in error",
            ),
            Evidence(
                action=second,
                kind=EvidenceKind.LINK,
                title="Withdrawn",
                url="https://example.org/c",
                added_by=nameless,
                added_at=timezone.now(),
                withdrawn_at=timezone.now(),
                withdrawn_by=nameless,
                withdrawal_reason="Sent in error",
            ),
        ]
    )
    # A draft in a plan awaiting sign-off: in no download.
    draft_inspection = InspectionFactory(unit=org.derbyshire, title="A draft plan's inspection")
    draft_recommendation = RecommendationFactory(inspection=draft_inspection, number=1, addressed_to=org.derbyshire)
    ResponsePlan.objects.create(inspection=draft_inspection, unit=org.derbyshire, state=PlanState.DRAFT)
    Action.objects.create(
        recommendation=draft_recommendation,
        unit=org.derbyshire,
        owner=org.derbyshire_lead,
        description="A draft action",
        original_due_date=TODAY,
        due_date=TODAY,
    )


@pytest.fixture
def org():
    org = build_organisation()
    cardiff_owner = UserFactory(username="cardiff.owner", first_name="Cai", last_name="Caerdydd", unit=org.cardiff)
    bulk_plan(unit=org.derby_city, owner=org.derby_lead, verifier=org.director, actions=40, recommendations=6)
    bulk_plan(unit=org.derbyshire, owner=org.derbyshire_lead, verifier=org.director, actions=25, recommendations=4)
    bulk_plan(unit=org.cardiff, owner=cardiff_owner, verifier=org.wales_director, actions=9, recommendations=3)
    _awkward_plan(org)
    return org


@pytest.mark.parametrize("name", DOWNLOADS)
def test_the_csv_is_byte_for_byte_the_expected_file(client, org, name):
    user, params = DOWNLOADS[name]
    client.force_login(getattr(org, user))
    response = client.get(CSV, params)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (EXPECTED / f"{name}.csv").read_bytes()


def test_recommendations_without_an_action_fall_where_sorting_every_row_puts_them():
    """The merge decides once per recommendation; sorting each row by the plan's order agrees."""
    rng = random.Random(14)
    days = [None, dt.date(2025, 5, 20), dt.date(2026, 3, 4), dt.date(2024, 1, 9)]
    recommendations = {(rng.choice(days), rng.randint(1, 4), rng.randint(1, 6)) for _ in range(40)}
    rows, unanswered = [], []
    for rec_pk, (published, inspection_pk, number) in enumerate(sorted(recommendations, key=str), start=1):
        if rng.random() < 0.3:
            unanswered.append((published, inspection_pk, number, rec_pk, None, None))
            continue
        for _ in range(rng.randint(1, 4)):
            rows.append((published, inspection_pk, number, rec_pk, dt.date(2026, 1, rng.randint(1, 28)), len(rows) + 1))

    def plan_order(row):
        published, inspection_pk, number, _, due, action_pk = row
        place = (published is None, -published.toordinal() if published else 0, inspection_pk, number)
        return (*place, action_pk is not None, due or dt.date.min, action_pk or 0)

    rows.sort(key=plan_order)
    unanswered.sort(key=plan_order)
    merged = _merged_in_plan_order(iter(unanswered), rows, key_at=(0, 1, 2), rec_at=3)
    assert list(merged) == sorted(rows + unanswered, key=plan_order)
