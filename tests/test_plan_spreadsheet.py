"""Importing a region's action-plan spreadsheet: the template, plain-word errors by row and
column, all rows or none, changes made through the domain services, and the round trip."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.models import Action, ActionStatus, DueDateRevision, ProgressUpdate
from recommendations.plan_spreadsheet import columns
from recommendations.plan_spreadsheet.applying import import_plan
from recommendations.plan_spreadsheet.export import action_rows
from recommendations.plan_spreadsheet.files import write_csv, write_xlsx
from tests.factories import InspectionFactory, PDUFactory, RecommendationFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORT = "recommendations:plan_import"


@pytest.fixture
def world():
    pdu = PDUFactory(name="Derby City PDU", short_name="Derby City", slug="derby-city")
    inspection = InspectionFactory(unit=pdu, title="An inspection of probation services: Derby City PDU")
    recs = [RecommendationFactory(inspection=inspection, number=n, addressed_to=pdu) for n in (1, 2, 3)]
    lead = UserFactory(username="derbycity.lead", first_name="Dana", last_name="Reid", unit=pdu)
    admin = UserFactory(username="data.admin", role="administrator", is_staff=True, is_superuser=True, unit=None)
    director = UserFactory(username="jo.smith", first_name="Jo", last_name="Smith", role="regional_director")
    return {"pdu": pdu, "inspection": inspection, "recs": recs, "lead": lead, "admin": admin, "director": director}


def sheet(*rows, header=columns.COLUMNS) -> bytes:
    lines = [list(header), *[[row.get(column, "") for column in header] for row in rows]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines)
    return buffer.getvalue().encode()


def row(world, **cells):
    base = {
        columns.INSPECTION: "An inspection of probation services: Derby City PDU",
        columns.RECOMMENDATION: "1",
        columns.ACTION: "Deliver risk of harm training to every practitioner",
        columns.OWNER: "derbycity.lead@justice.example",
        columns.DUE_DATE: "13/10/2026",
    }
    return {**base, **cells}


def test_uk_and_iso_dates_and_spreadsheet_date_cells_are_read():
    for written in ("13/10/2026", "13 October 2026", "13 Oct 2026", "2026-10-13", dt.datetime(2026, 10, 13, 0, 0)):
        assert columns.read_date(written, "Due date") == dt.date(2026, 10, 13)
    with pytest.raises(columns.CellError, match="Enter the due date as a date, like 13/10/2026"):
        columns.read_date("next spring", "Due date")


def test_statuses_are_read_as_the_service_shows_them():
    assert columns.read_status("Completed – awaiting verification") == ActionStatus.COMPLETED
    assert columns.read_status("in progress") == ActionStatus.IN_PROGRESS
    assert columns.read_status("") == ActionStatus.NOT_STARTED
    with pytest.raises(columns.CellError, match="“Done” is not a status: use Not started, In progress"):
        columns.read_status("Done")


def test_a_valid_sheet_creates_actions_through_the_services_matching_owner_by_email_or_full_name(world):
    data = sheet(
        row(
            world,
            **{
                columns.START_DATE: "2026-06-01",
                columns.LATEST_UPDATE: "Training booked",
                columns.STATUS: "In progress",
            },
        ),
        row(world, **{columns.RECOMMENDATION: "2", columns.OWNER: "Dana Reid", columns.SELF_RAG: "Amber"}),
    )
    result = import_plan(data, "plan.csv", by=world["admin"], commit=True)
    assert result.errors == [] and (result.created, result.updated) == (2, 0)
    first, second = Action.objects.order_by("recommendation__number")
    assert (first.owner, first.start_date, first.due_date, first.status) == (
        world["lead"],
        dt.date(2026, 6, 1),
        dt.date(2026, 10, 13),
        ActionStatus.IN_PROGRESS,
    )
    assert first.updates.get().narrative == "Training booked"
    assert (second.owner, second.unit, second.self_rag) == (world["lead"], world["pdu"], "amber")
    assert first.history.first().history_user == world["admin"]


def test_every_rows_errors_are_listed_and_nothing_is_written(world):
    data = sheet(
        row(world),
        row(world, **{columns.RECOMMENDATION: "9", columns.DUE_DATE: "31/02/2026"}),
        row(world, **{columns.OWNER: "Nobody Known", columns.STATUS: "Done", columns.ACTION: "Another action"}),
        row(world, **{columns.STATUS: "Cancelled", columns.ACTION: "Third action"}),
    )
    result = import_plan(data, "plan.csv", by=world["admin"], commit=True)
    assert result.errors == [
        (
            3,
            "Recommendation number",
            "“An inspection of probation services: Derby City PDU (2025)” has no recommendation 9.",
        ),
        (3, "Due date", "Enter the due date as a date, like 13/10/2026 or 13 October 2026 (not “31/02/2026”)."),
        (4, "Owner", "No one in the service is called “Nobody Known”: check the spelling or use their email address."),
        (
            4,
            "Status",
            "“Done” is not a status: use Not started, In progress, Blocked, Completed – awaiting verification, "
            "Verified or Cancelled.",
        ),
        (5, "Latest update", "Enter why the action was cancelled."),
    ]
    assert Action.objects.count() == 0


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused_in_plain_words(world):
    result = import_plan(b"Inspection,Action\n", "plan.xlsx", by=world["admin"], commit=True)
    assert result.problem == "The file could not be opened as an Excel workbook (.xlsx)."


def test_a_sheet_without_the_required_headings_is_refused_in_plain_words(world):
    result = import_plan(b"Action,Owner\nx,y\n", "plan.csv", by=world["admin"], commit=True)
    assert result.problem == (
        "The spreadsheet has no “Inspection” or “Recommendation number” or “Due date” column: "
        "use the template's headings in row 1."
    )


def test_a_new_due_date_is_a_revision_with_its_reason_and_a_cancellation_keeps_its_reason(world):
    import_plan(sheet(row(world)), "plan.csv", by=world["admin"], commit=True)
    changed = sheet(
        row(
            world,
            **{
                columns.DUE_DATE: "1 December 2026",
                columns.STATUS: "Cancelled",
                columns.LATEST_UPDATE: "Merged into action 2",
            },
        )
    )
    result = import_plan(changed, "plan-v2.csv", by=world["admin"], commit=True)
    assert result.errors == [] and result.updated == 1
    action = Action.objects.get()
    assert (action.original_due_date, action.due_date, action.status) == (
        dt.date(2026, 10, 13),
        dt.date(2026, 12, 1),
        ActionStatus.CANCELLED,
    )
    revision = DueDateRevision.objects.get()
    assert revision.reason == "Changed by the spreadsheet import (plan-v2.csv, row 2)."
    assert action.updates.get().narrative == "Cancelled: Merged into action 2"


def test_importing_the_same_sheet_again_changes_nothing(world):
    data = sheet(row(world, **{columns.LATEST_UPDATE: "Started", columns.STATUS: "In progress"}))
    import_plan(data, "plan.csv", by=world["admin"], commit=True)
    again = import_plan(data, "plan.csv", by=world["admin"], commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Action.objects.get().updates.count() == 1


def test_export_then_import_into_an_empty_plan_then_export_gives_the_same_file(world):
    data = sheet(
        row(world, **{columns.SUCCESS_MEASURE: "=75% of audits sufficient", columns.START_DATE: "01/06/2026"}),
        row(
            world,
            **{
                columns.RECOMMENDATION: "2",
                columns.STATUS: "Blocked",
                columns.LATEST_UPDATE: "Waiting for trainers",
                columns.SELF_RAG: "Red",
            },
        ),
        row(
            world,
            **{
                columns.RECOMMENDATION: "3",
                columns.STATUS: "Cancelled",
                columns.LATEST_UPDATE: "Covered by recommendation 1",
            },
        ),
        row(
            world,
            **{columns.ACTION: "Audit 20 cases", columns.STATUS: "Completed", columns.COMPLETED_ON: "2 March 2026"},
        ),
        row(
            world,
            **{
                columns.ACTION: "Brief the courts",
                columns.STATUS: "Completed",
                columns.COMPLETED_ON: "3 March 2026",
                columns.LATEST_UPDATE: "Briefed all three benches",
            },
        ),
        row(
            world,
            **{
                columns.ACTION: "Recruit two practitioners",
                columns.STATUS: "Verified",
                columns.COMPLETED_ON: "4 March 2026",
                columns.VERIFIED_ON: "10/03/2026",
                columns.VERIFIED_BY: "Jo Smith",
            },
        ),
        row(
            world,
            **{
                columns.RECOMMENDATION: "2",
                columns.ACTION: "Open a second office",
                columns.STATUS: "Verified",
                columns.COMPLETED_ON: "5 March 2026",
                columns.VERIFIED_ON: "11 March 2026",
                columns.VERIFIED_BY: "jo.smith@justice.example",
                columns.LATEST_UPDATE: "Office open five days a week",
            },
        ),
    )
    assert import_plan(data, "plan.csv", by=world["admin"], commit=True).errors == []
    assert Action.objects.filter(status=ActionStatus.VERIFIED).count() == 2
    first_csv, first_xlsx = write_csv(action_rows(Action.objects.all())), write_xlsx(action_rows(Action.objects.all()))
    assert first_csv.decode("utf-8-sig").count(",Verified,") == 2
    ProgressUpdate.objects.all().delete()
    Action.objects.all().delete()
    result = import_plan(first_csv, "exported.csv", by=world["admin"], commit=True)
    assert result.errors == [] and result.created == 7
    assert write_csv(action_rows(Action.objects.all())) == first_csv
    ProgressUpdate.objects.all().delete()
    Action.objects.all().delete()
    assert import_plan(first_xlsx, "exported.xlsx", by=world["admin"], commit=True).errors == []
    assert _cells(write_xlsx(action_rows(Action.objects.all()))) == _cells(first_xlsx)


def _cells(xlsx: bytes):
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    return [list(r) for r in book["Actions"].iter_rows(values_only=True)]


# --------------------------------------------------------------------------- the page


def test_the_template_downloads_have_the_columns_a_region_keeps(client, world):
    client.force_login(world["admin"])
    response = client.get(reverse("recommendations:plan_template", args=["xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in book["Actions"][1]] == list(columns.COLUMNS)
    assert book["How to fill this in"]["A2"].value == "Inspection"
    response = client.get(reverse("recommendations:plan_template", args=["csv"]))
    assert response.content.decode("utf-8-sig").splitlines()[0] == ",".join(columns.COLUMNS)


def test_the_page_lists_errors_in_an_error_summary_with_rows_and_columns(client, world):
    client.force_login(world["admin"])
    upload = SimpleUploadedFile("plan.csv", sheet(row(world, **{columns.DUE_DATE: "soon"})))
    page = client.post(reverse(IMPORT), {"spreadsheet": upload}).content.decode()
    assert "govuk-error-summary" in page and "nothing has been imported" in page
    assert '<a href="#row-2">Row 2, Due date: Enter the due date as a date, like 13/10/2026' in page
    assert "Import 1 row" not in page


def test_the_page_imports_after_the_preview(client, world):
    client.force_login(world["admin"])
    upload = SimpleUploadedFile("plan.csv", sheet(row(world)))
    preview = client.post(reverse(IMPORT), {"spreadsheet": upload})
    assert "Every row is valid" in preview.content.decode() and Action.objects.count() == 0
    response = client.post(reverse(IMPORT), {"stored_as": preview.context["stored_as"], "filename": "plan.csv"})
    assert response.status_code == 302 and Action.objects.count() == 1


def test_only_administrators_may_import(client, world):
    client.force_login(world["lead"])
    assert client.get(reverse(IMPORT)).status_code == 403
    assert client.get(reverse("recommendations:plan_export", args=["csv"])).status_code == 403


def test_a_changed_owner_or_success_measure_updates_the_action_through_the_services(world):
    import_plan(sheet(row(world)), "plan.csv", by=world["admin"], commit=True)
    deputy = UserFactory(username="derbycity.deputy", email="deputy@justice.example", unit=world["pdu"])
    changed = sheet(row(world, **{columns.OWNER: "deputy@justice.example", columns.SUCCESS_MEASURE: "Audit in March"}))
    result = import_plan(changed, "plan-v2.csv", by=world["admin"], commit=True)
    assert result.errors == [] and result.updated == 1
    action = Action.objects.get()
    assert (action.owner, action.success_measure, action.version) == (deputy, "Audit in March", 2)


def test_a_completed_row_is_recorded_with_its_date_and_source_through_the_workflow(world):
    data = sheet(
        row(
            world,
            **{
                columns.STATUS: "Completed – awaiting verification",
                columns.COMPLETED_ON: "01/03/2026",
                columns.LATEST_UPDATE: "All staff trained",
            },
        )
    )
    result = import_plan(data, "region.csv", by=world["admin"], commit=True)
    assert result.errors == []
    action = Action.objects.get()
    assert (action.status, action.completed_by) == (ActionStatus.COMPLETED, world["admin"])
    assert action.completed_at.date() == dt.date(2026, 3, 1)
    assert {u.narrative for u in action.updates.all()} == {
        "All staff trained",
        "Completed, as recorded in region.csv, row 2. To be verified here against evidence.",
    }


def verified_row(world, **cells):
    return row(
        world,
        **{
            columns.STATUS: "Verified",
            columns.COMPLETED_ON: "01/03/2026",
            columns.VERIFIED_ON: "2026-03-10",
            columns.VERIFIED_BY: "Jo Smith",
            **cells,
        },
    )


def test_a_verified_row_is_imported_as_verified_before_this_service_with_its_stamps(world):
    data = sheet(verified_row(world))
    preview = import_plan(data, "region.csv", by=world["admin"], commit=False)
    assert preview.errors == [] and preview.rows[0].notes[0].startswith("Imported as verified before this service")
    import_plan(data, "region.csv", by=world["admin"], commit=True)
    action = Action.objects.get()
    assert (action.status, action.verified_by, action.completed_by) == (
        ActionStatus.VERIFIED,
        world["director"],
        world["admin"],
    )
    assert (action.completed_at.date(), action.verified_at.date()) == (dt.date(2026, 3, 1), dt.date(2026, 3, 10))
    assert action.verified_before_service and action.verification_imported_from == "region.csv, row 2"
    assert not action.evidence.exists()
    assert [u.narrative for u in action.updates.order_by("created_at")][-1] == (
        "Verified before this service (imported from region.csv, row 2), by Jo Smith on 10 March 2026."
    )
    again = import_plan(data, "region.csv", by=world["admin"], commit=True)
    assert (again.errors, again.unchanged) == ([], 1)


def test_a_verified_row_for_an_action_completed_earlier_records_only_its_verification(world):
    completed = row(world, **{columns.STATUS: "Completed", columns.COMPLETED_ON: "01/03/2026"})
    import_plan(sheet(completed), "region.csv", by=world["admin"], commit=True)
    result = import_plan(sheet(verified_row(world)), "region-v2.csv", by=world["admin"], commit=True)
    assert (result.errors, result.updated) == ([], 1)
    action = Action.objects.get()
    assert (action.status, action.verification_imported_from) == (ActionStatus.VERIFIED, "region-v2.csv, row 2")


def test_a_verified_rows_verifier_must_be_known_and_not_its_owner(world):
    unknown = import_plan(
        sheet(verified_row(world, **{columns.VERIFIED_BY: "Sam Nobody"})), "r.csv", by=world["admin"], commit=True
    )
    assert unknown.errors == [
        (
            2,
            columns.VERIFIED_BY,
            "No one in the service is called “Sam Nobody”: check the spelling or use their email address.",
        )
    ]
    own = import_plan(
        sheet(verified_row(world, **{columns.VERIFIED_BY: "Dana Reid"})), "r.csv", by=world["admin"], commit=True
    )
    assert own.errors == [
        (
            2,
            columns.VERIFIED_BY,
            "Dana Reid owns this action, so cannot have verified it: import it as completed and have it verified here.",
        )
    ]
    missing = import_plan(
        sheet(verified_row(world, **{columns.VERIFIED_BY: ""})), "r.csv", by=world["admin"], commit=True
    )
    assert missing.errors == [(2, columns.VERIFIED_BY, "Enter who verified the action (email address or full name).")]
    assert Action.objects.count() == 0


def test_a_verifier_who_has_since_left_is_still_recognised(world):
    world["director"].is_active = False
    world["director"].save()
    result = import_plan(sheet(verified_row(world)), "region.csv", by=world["admin"], commit=True)
    assert result.errors == [] and Action.objects.get().verified_by == world["director"]
