"""The admin page "Import a published report": upload, preview beside the source, confirm."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.models import Inspection, OrgUnit, Recommendation
from recommendations.report_import.matching import UnitMatcher
from tests.factories import OrgUnitFactory, UserFactory
from tests.report_import_world import load_fixture_units, seed_bytes
from tests.test_report_import_seeds import DERBY_CITY, PRESS_RELEASE

URL = "admin:recommendations_inspection_import_report"


@pytest.fixture
def administrator(client, db, tmp_path):
    load_fixture_units(tmp_path)
    user = UserFactory(username="data.admin", is_staff=True, is_superuser=True, role="administrator")
    client.force_login(user)
    return user


def upload(client, data, name):
    return client.post(reverse(URL), {"report": SimpleUploadedFile(name, data)})


def confirm(client, preview, **extra):
    """Confirm the import, entering Derby City's day of publication (the report gives only its month)."""
    form = preview.context["confirm_form"]
    data = {
        "stored_as": form["stored_as"].value(),
        "filename": form["filename"].value(),
        "published_on": "9/2/2023",
        **extra,
    }
    return client.post(reverse(URL), data)


def test_the_inspections_list_offers_the_report_import(client, administrator):
    response = client.get(reverse("admin:recommendations_inspection_changelist"))
    assert reverse(URL) in response.content.decode()
    assert "Import a published report" in response.content.decode()


def test_the_preview_shows_each_field_beside_its_source_line_and_writes_nothing(client, administrator):
    response = upload(client, seed_bytes(DERBY_CITY), DERBY_CITY)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<code>Score 11/27</code>" in page
    assert "Leon Bonas, HM Inspector" in page and '<span class="quiet">30:</span>' in page
    assert "ensure the East Midlands region are sufficiently staffed" in page
    assert "Derby City PDU (existing)" in page
    assert Inspection.objects.count() == 0


def test_the_day_of_publication_is_asked_for_and_a_mistyped_one_is_shown_again(client, administrator):
    preview = upload(client, seed_bytes(DERBY_CITY), DERBY_CITY)
    page = preview.content.decode()
    assert "Could not find the day of publication: the report gives only February 2023. Enter the date." in page
    assert 'name="published_on"' in page
    missing = confirm(client, preview, published_on="")
    assert "Could not find the day of publication: enter the date" in missing.content.decode()
    mistyped = confirm(client, preview, published_on="February 2023")
    assert "Enter the date of publication as a date, like 9/2/2023" in mistyped.content.decode()
    assert Inspection.objects.count() == 0
    assert confirm(client, preview, published_on="9 February 2023").status_code == 302
    assert str(Inspection.objects.get().published_on) == "2023-02-09"


def test_confirming_imports_the_report_with_the_administrator_in_its_history(client, administrator):
    preview = upload(client, seed_bytes(DERBY_CITY), DERBY_CITY)
    response = confirm(client, preview)
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.recommendations.count() == 8
    assert inspection.history.get().history_user == administrator
    # The waiting file is gone once imported.
    again = confirm(client, preview)
    assert again.status_code == 302 and Recommendation.objects.count() == 8


def test_uploading_an_imported_report_again_says_so_and_changes_nothing(client, administrator):
    confirm(client, upload(client, seed_bytes(DERBY_CITY), DERBY_CITY))
    preview = upload(client, seed_bytes(DERBY_CITY), DERBY_CITY)
    assert "already imported" in preview.content.decode()
    assert "Confirm and import" not in preview.content.decode()
    assert Inspection.objects.count() == 1


def test_new_units_are_created_only_when_the_administrator_ticks_them(client, administrator):
    text = seed_bytes(DERBY_CITY).replace(b"Derby City", b"Nottingham City")
    preview = upload(client, text, "nottingham.txt")
    assert "Nottingham City PDU (new probation delivery unit under Probation Service – East Midlands)" in (
        preview.content.decode()
    )
    refused = confirm(client, preview)
    assert "Tick “Create the new units listed above”" in refused.content.decode()
    assert not OrgUnit.objects.filter(name="Nottingham City PDU").exists()
    confirm(client, preview, create_units="on")
    assert Inspection.objects.get().unit.name == "Nottingham City PDU"


def test_a_document_that_cannot_be_imported_shows_why_and_offers_no_confirmation(client, administrator):
    response = upload(client, seed_bytes(PRESS_RELEASE), PRESS_RELEASE)
    page = response.content.decode()
    assert "This looks like a press release" in page
    assert "Confirm and import" not in page


def test_the_confirmation_cannot_name_a_file_the_service_did_not_store(client, administrator):
    response = client.post(reverse(URL), {"stored_as": "../../etc/passwd", "filename": "x.txt"})
    assert response.status_code == 400


def test_staff_without_the_right_to_add_inspections_cannot_import(client, db):
    client.force_login(UserFactory(username="viewer", is_staff=True))
    assert client.get(reverse(URL)).status_code == 403


def test_an_alias_added_in_the_admin_makes_the_next_import_match_that_unit(client, administrator):
    report = seed_bytes(DERBY_CITY).replace(b"Derby City PDU should:", b"The Derby probation team should:")
    assert "Could not find the unit “Derby probation team”" in upload(client, report, "derby.txt").content.decode()
    unit = OrgUnit.objects.get(slug="derby-city")
    form = {
        "name": unit.name,
        "short_name": unit.short_name,
        "slug": unit.slug,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "aliases": "Derby probation team",
    }
    response = client.post(reverse("admin:recommendations_orgunit_change", args=[unit.pk]), form)
    assert response.status_code == 302
    preview = upload(client, report, "derby.txt")
    assert preview.context["plan"].problems == []
    confirm(client, preview)
    assert set(Recommendation.objects.filter(number__lte=4).values_list("addressed_to__slug", flat=True)) == {
        "derby-city"
    }


def test_the_migration_stores_the_aliases_legacy_bodies_were_known_by_and_matching_reads_them(db):
    crc = OrgUnitFactory(name="Durham Tees Valley CRC", slug="dtv-crc", kind="crc", aliases="")
    import_module("recommendations.migrations.0009_orgunit_aliases").store_known_aliases(apps, None)
    crc.refresh_from_db()
    assert crc.alias_list == ["Community Rehabilitation Company", "CRC"]
    assert UnitMatcher().find("the Community Rehabilitation Company") == crc
    crc.aliases = ""
    crc.save()
    assert UnitMatcher().find("the Community Rehabilitation Company") is None
