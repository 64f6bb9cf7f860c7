"""A recommendation addressed to several bodies belongs to each: in scope, in the plan document and its files."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from recommendations import challenges, scope
from recommendations.models import OrgUnit, Recommendation
from recommendations.plan_columns import DEFAULT_COLUMNS, choose_plan_columns
from recommendations.selectors.dashboards import national_dashboard, regional_dashboard
from reminders.selectors import _inspection_digest_contents
from reporting.exports.hmpps_layout import hmpps_action_plan
from reporting.selectors.plan_document import plan_document
from tests.factories import (
    ActionFactory,
    DirectorFactory,
    InspectionFactory,
    NationalUnitFactory,
    NationalViewerFactory,
    PDUFactory,
    RecommendationFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
DERBYSHIRE_2016 = "Quality & Impact inspection: The effectiveness of probation work in Derbyshire"


def test_derbyshire_2016_recommendation_1_is_addressed_to_the_crc_and_the_nps():
    call_command("loaddata", "inspections", verbosity=0)
    recommendation = Recommendation.objects.get(inspection__title=DERBYSHIRE_2016, number=1)
    assert {unit.kind for unit in recommendation.addressees.all()} == {"crc", "nps_division"}
    assert recommendation.addressee_names == (
        "Derbyshire, Nottinghamshire, Leicestershire and Rutland CRC and National Probation Service – Midlands division"
    )
    # Every other recommendation keeps the one addressee it had.
    for other in Recommendation.objects.exclude(pk=recommendation.pk).prefetch_related("addressees"):
        assert [unit.pk for unit in other.addressees.all()] == [other.addressed_to_id]


def test_the_plan_document_names_every_addressee():
    call_command("loaddata", "inspections", verbosity=0)
    admin = UserFactory(username="root", unit=None, role="administrator", is_superuser=True, is_staff=True)
    document = plan_document(user=admin, today=dt.date(2026, 6, 15))
    (row,) = [row for row in document.rows if row["recommendation_id"] == 501]
    assert row["addressed_to"] == (
        "Derbyshire, Nottinghamshire, Leicestershire and Rutland CRC and National Probation Service – Midlands division"
    )


@pytest.fixture
def joint():
    region = RegionFactory()
    first, second = PDUFactory(parent=region), PDUFactory(parent=region)
    other_region_pdu = PDUFactory()
    recommendation = RecommendationFactory(inspection=InspectionFactory(unit=other_region_pdu), addressed_to=first)
    recommendation.addressees.add(second)
    return region, first, second, recommendation


def test_a_jointly_addressed_recommendation_is_in_each_addressees_scope(client, joint):
    region, first, second, recommendation = joint
    for unit in (first, second):
        leader = UserFactory(unit=unit)
        assert scope.recommendations_visible_to(leader).filter(pk=recommendation.pk).exists()
        assert scope.inspections_visible_to(leader).filter(pk=recommendation.inspection_id).exists()
        assert scope.can_view_history(leader, recommendation)
        client.force_login(leader)
        page = client.get(reverse("recommendations:recommendation_detail", args=[recommendation.pk]))
        assert page.status_code == 200
    outsider = UserFactory(unit=PDUFactory())
    assert not scope.recommendations_visible_to(outsider).filter(pk=recommendation.pk).exists()


def test_the_director_of_a_joint_addressees_region_manages_its_plan(joint):
    region, first, second, recommendation = joint
    recommendation.addressed_to = PDUFactory()  # the first named is elsewhere; the second is in her region
    recommendation.save()
    recommendation.addressees.remove(first)
    director = DirectorFactory(unit=region)
    assert scope.can_manage_plan(director, recommendation)


def test_a_joint_recommendation_is_challenged_and_answered_by_each_addressee(joint):
    """Named second with HMPPS, a PDU's director challenges it and its leader replies, as HMPPS does."""
    region, first, second, recommendation = joint
    hmpps = NationalUnitFactory()
    recommendation.addressed_to = hmpps
    recommendation.save()
    recommendation.addressees.set([hmpps, second])
    director, leader = DirectorFactory(unit=region), UserFactory(unit=second)
    national = NationalViewerFactory(unit=hmpps, can_edit_national_actions=True)
    assert scope.can_challenge(director, recommendation)
    assert scope.can_challenge(national, recommendation)
    assert scope.can_reply(leader, recommendation)
    assert scope.can_reply(national, recommendation)
    # The Python rule and the query agree on who may answer.
    raised = challenges.challenge(on=recommendation, by=director, text="Where is the plan?")
    assert scope.challenges_answerable_by(leader).filter(pk=raised.pk).exists()
    challenges.reply(to=raised, by=leader, text="Drafted with HMPPS.")
    assert not scope.can_challenge(DirectorFactory(unit=RegionFactory()), recommendation)
    assert not scope.can_reply(UserFactory(unit=first), recommendation)


def test_a_new_recommendation_is_addressed_to_the_body_it_names_first():
    unit = PDUFactory()
    recommendation = RecommendationFactory(addressed_to=unit)
    assert list(recommendation.addressees.all()) == [OrgUnit.objects.get(pk=unit.pk)]


# Everywhere the plan is shown or counted ------------------------------------------------------

JOINT_SHORT = "DNLR CRC and NPS Midlands"
JOINT_FULL = (
    "Derbyshire, Nottinghamshire, Leicestershire and Rutland CRC and National Probation Service – Midlands division"
)


@pytest.fixture
def published(client):
    call_command("loaddata", "inspections", verbosity=0)
    admin = UserFactory(username="root", unit=None, role="administrator", is_superuser=True, is_staff=True)
    client.force_login(admin)
    recommendation = Recommendation.objects.get(inspection__title=DERBYSHIRE_2016, number=1)
    return admin, recommendation


def _csv_rows(client, **params):
    response = client.get(reverse("recommendations:action_plan_csv"), params)
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_plan_page_and_csv_name_every_addressee(client, published):
    admin, recommendation = published
    params = {"inspection": recommendation.inspection_id}
    html = client.get(reverse("recommendations:action_plan"), params).content.decode()
    assert JOINT_SHORT in html  # the recommendation with no action yet
    (row,) = [row for row in _csv_rows(client, **params) if row["Recommendation number"] == "1"]
    assert row["Addressed to"] == JOINT_SHORT

    region = OrgUnit.objects.get(slug="east-midlands")
    choose_plan_columns(user=admin, columns=[*DEFAULT_COLUMNS, "addressee"])
    ActionFactory(recommendation=recommendation, unit=region, owner=DirectorFactory(unit=region))
    html = client.get(reverse("recommendations:action_plan"), params).content.decode()
    assert html.count(JOINT_SHORT) == 1  # now in the actions' table
    (row,) = [row for row in _csv_rows(client, **params) if row["Recommendation number"] == "1"]
    assert row["Addressed to"] == JOINT_SHORT and row["Action"]


def test_the_xlsx_names_every_addressee(client, published):
    admin, recommendation = published
    response = client.get(reverse("reporting:plan_xlsx"), {"inspection": recommendation.inspection_id})
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "Inspection")
    records = [dict(zip(header, row, strict=False)) for row in rows[rows.index(header) + 1 :]]
    assert {record["Addressed to"] for record in records if record["Recommendation number"] == 1} == {JOINT_FULL}


def test_the_hmpps_document_sets_a_joint_recommendation_out_under_each_addressee(client, published):
    admin, recommendation = published
    plan = hmpps_action_plan(
        plan_document(user=admin, inspection=recommendation.inspection, today=dt.date(2026, 6, 15))
    )
    (part,) = plan.parts
    numbers = {group.addressee: [entry.number for entry in group.entries] for group in part.groups}
    assert 1 in numbers["Derbyshire, Nottinghamshire, Leicestershire and Rutland CRC"]
    assert 1 in numbers["National Probation Service – Midlands division"]
    docx = client.get(reverse("reporting:plan_docx"), {"inspection": recommendation.inspection_id})
    headings = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs if p.style.name.startswith("Heading")]
    assert "Recommendations to Derbyshire, Nottinghamshire, Leicestershire and Rutland CRC" in headings
    assert "Recommendations to National Probation Service – Midlands division" in headings


def test_a_joint_recommendation_counts_for_each_addressee_and_once_in_the_totals(joint):
    region, first, second, recommendation = joint
    recommendation.inspection.unit = first
    recommendation.inspection.save()
    director = DirectorFactory(unit=region)
    ActionFactory(
        recommendation=recommendation,
        unit=first,
        owner=UserFactory(unit=first),
        status="verified",
        completed_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
        completed_by=director,
        verified_at=dt.datetime(2026, 5, 2, tzinfo=dt.UTC),
        verified_by=director,
    )
    dashboard = regional_dashboard(user=director, region=region, today=dt.date(2026, 6, 15))
    rows = {row.unit.pk: row.figures for row in dashboard.units}
    assert (rows[first.pk].recommendations, rows[first.pk].ready) == (1, 1)
    assert (rows[second.pk].recommendations, rows[second.pk].ready) == (1, 1)
    assert (dashboard.total.recommendations, dashboard.total.ready) == (1, 1)
    viewer = UserFactory(username="viewer", unit=None, role="national_viewer")
    national = national_dashboard(user=viewer, today=dt.date(2026, 6, 15))
    (region_row,) = [row for row in national.regions if row.region == region]
    assert region_row.figures.recommendations == 1
    assert national.total.recommendations == Recommendation.objects.count()


def test_the_plan_filtered_to_either_addressee_lists_a_joint_recommendation(client, joint):
    region, first, second, recommendation = joint
    elsewhere = RecommendationFactory(
        inspection=recommendation.inspection, number=2, addressed_to=PDUFactory(parent=region)
    )
    client.force_login(DirectorFactory(unit=region))
    for unit in (first, second):
        html = client.get(reverse("recommendations:action_plan"), {"addressee": unit.slug}).content.decode()
        assert f"(recommendation {recommendation.number} of {recommendation.inspection.title})" in html
        assert f"(recommendation {elsewhere.number} of {recommendation.inspection.title})" not in html


def test_each_addressee_reads_a_joint_recommendation_in_its_digest(joint):
    region, first, second, recommendation = joint
    contents = _inspection_digest_contents(dt.date(2026, 6, 15), [first.pk, second.pk])
    for unit in (first, second):
        assert [item["label"] for item in contents[unit.pk]["recommendations"]] == [recommendation.label]


def test_a_recommendation_to_dissolved_bodies_names_who_does_their_work_now(client, django_assert_max_num_queries):
    call_command("loaddata", "inspections", verbosity=0)
    admin = UserFactory(username="root", unit=None, role="administrator", is_superuser=True, is_staff=True)
    recommendation = Recommendation.objects.get(inspection__title=DERBYSHIRE_2016, number=1)
    client.force_login(admin)
    url = reverse("recommendations:recommendation_detail", args=[recommendation.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    for unit in recommendation.addressees.select_related("successor"):
        assert f"{unit.display_name} has since been dissolved: its work is done by {unit.successor.name}." in html
