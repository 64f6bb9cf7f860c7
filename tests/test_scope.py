"""Who sees and changes what: the access rules in recommendations.scope."""

import pytest

from recommendations import scope
from recommendations.models import Role
from recommendations.models.choices import UnitKind
from tests.factories import (
    ActionFactory,
    DirectorFactory,
    InspectionFactory,
    NationalUnitFactory,
    NationalViewerFactory,
    OrgUnitFactory,
    PDUFactory,
    RecommendationFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    national = NationalUnitFactory()
    east = RegionFactory(name="East Midlands", slug="east-midlands", parent=national)
    west = RegionFactory(name="West Midlands", slug="west-midlands", parent=national)
    derby = PDUFactory(name="Derby City", slug="derby-city", parent=east)
    llr = PDUFactory(name="LLR", slug="llr", parent=east)
    brum = PDUFactory(name="Birmingham", slug="birmingham", parent=west)
    crc = OrgUnitFactory(name="Old CRC", slug="old-crc", kind=UnitKind.CRC, is_legacy=True, successor=east)
    derby_inspection = InspectionFactory(unit=derby)
    w = {
        "national": national,
        "east": east,
        "derby": derby,
        "llr": llr,
        "brum": brum,
        "derby_lead": UserFactory(username="derby.lead", unit=derby),
        "llr_lead": UserFactory(username="llr.lead", unit=llr),
        "east_director": DirectorFactory(username="east.director", unit=east),
        "west_director": DirectorFactory(username="west.director", unit=west),
        "viewer": NationalViewerFactory(username="viewer", unit=national),
        "national_owner": NationalViewerFactory(username="owner", unit=national, can_edit_national_actions=True),
    }
    w["derby_rec"] = RecommendationFactory(inspection=derby_inspection, number=1, addressed_to=derby)
    w["region_rec"] = RecommendationFactory(inspection=derby_inspection, number=5, addressed_to=east)
    w["hmpps_rec"] = RecommendationFactory(inspection=derby_inspection, number=8, addressed_to=national)
    w["derby_action"] = ActionFactory(recommendation=w["derby_rec"], owner=w["derby_lead"])
    w["region_action"] = ActionFactory(recommendation=w["region_rec"], owner=w["east_director"])
    w["hmpps_action"] = ActionFactory(recommendation=w["hmpps_rec"], owner=w["national_owner"])
    w["llr_action"] = ActionFactory(
        recommendation=RecommendationFactory(inspection=InspectionFactory(unit=llr), number=1), owner=w["llr_lead"]
    )
    w["brum_action"] = ActionFactory(recommendation=RecommendationFactory(inspection=InspectionFactory(unit=brum)))
    w["crc_action"] = ActionFactory(
        recommendation=RecommendationFactory(inspection=InspectionFactory(unit=east), addressed_to=crc),
        owner=w["east_director"],
    )
    return w


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_pdu_leader_sees_own_unit_and_the_wider_recommendations_from_its_inspection(world):
    visible = ids(scope.actions_visible_to(world["derby_lead"]))
    assert visible == {world["derby_action"].pk, world["region_action"].pk, world["hmpps_action"].pk}
    recs = ids(scope.recommendations_visible_to(world["derby_lead"]))
    assert {world["derby_rec"].pk, world["region_rec"].pk, world["hmpps_rec"].pk} <= recs
    assert world["llr_action"].pk not in visible


def test_pdu_leader_edits_only_own_unit_actions(world):
    lead = world["derby_lead"]
    assert scope.can_edit_action(lead, world["derby_action"])
    assert not scope.can_edit_action(lead, world["region_action"])
    assert not scope.can_edit_action(lead, world["hmpps_action"])
    assert not scope.can_edit_action(lead, world["llr_action"])
    assert not scope.can_manage_plan(lead, world["derby_rec"])


def test_director_sees_whole_region_and_legacy_bodies_it_took_over(world):
    visible = ids(scope.actions_visible_to(world["east_director"]))
    assert {world["derby_action"].pk, world["llr_action"].pk, world["crc_action"].pk} <= visible
    assert world["brum_action"].pk not in visible


def test_director_manages_region_plan_but_not_hmpps_recommendations(world):
    director = world["east_director"]
    assert scope.can_manage_plan(director, world["derby_rec"])
    assert scope.can_manage_plan(director, world["region_rec"])
    assert not scope.can_manage_plan(director, world["hmpps_rec"])
    assert not scope.can_manage_plan(world["west_director"], world["derby_rec"])


def test_only_a_director_of_the_region_verifies_and_never_their_own_action(world):
    assert scope.can_verify(world["east_director"], world["derby_action"])
    assert not scope.can_verify(world["east_director"], world["region_action"])  # owns it
    assert not scope.can_verify(world["west_director"], world["derby_action"])
    assert not scope.can_verify(world["derby_lead"], world["derby_action"])
    assert not scope.can_verify(world["viewer"], world["derby_action"])


def test_national_viewer_reads_everything_and_edits_only_with_the_right(world):
    assert ids(scope.actions_visible_to(world["viewer"])) == ids(scope.actions_visible_to(world["national_owner"]))
    assert world["brum_action"].pk in ids(scope.actions_visible_to(world["viewer"]))
    assert not scope.can_edit_action(world["viewer"], world["hmpps_action"])
    assert scope.can_edit_action(world["national_owner"], world["hmpps_action"])
    assert not scope.can_edit_action(world["national_owner"], world["derby_action"])
    assert scope.can_manage_plan(world["national_owner"], world["hmpps_rec"])


def test_deactivated_or_unassigned_users_see_and_change_nothing(world):
    lead = world["derby_lead"]
    lead.is_active = False
    assert not scope.can_edit_action(lead, world["derby_action"])
    nobody = UserFactory(username="nobody", unit=None, role="")
    assert not scope.actions_visible_to(nobody).exists()
    assert not scope.visible_units(nobody).exists()


def test_administrator_sees_and_edits_all(world):
    admin = UserFactory(username="root", role=Role.ADMINISTRATOR, unit=None)
    assert ids(scope.actions_visible_to(admin)) >= {world["brum_action"].pk, world["derby_action"].pk}
    assert scope.can_edit_action(admin, world["brum_action"])
