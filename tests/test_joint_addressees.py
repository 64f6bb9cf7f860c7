"""A recommendation addressed to several bodies belongs to each: in scope, in the plan document and its files."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from recommendations import scope
from recommendations.models import OrgUnit, Recommendation
from reporting.selectors.plan_document import plan_document
from tests.factories import (
    DirectorFactory,
    InspectionFactory,
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


def test_a_new_recommendation_is_addressed_to_the_body_it_names_first():
    unit = PDUFactory()
    recommendation = RecommendationFactory(addressed_to=unit)
    assert list(recommendation.addressees.all()) == [OrgUnit.objects.get(pk=unit.pk)]
