"""The action plan as HMPPS submits it: Word and PDF in one layout, read back as a reader's program would."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from pypdf import PdfReader

from recommendations.models import PlanState, Response, ResponsePlan
from reporting.exports.docx_plan import write_plan_docx
from reporting.exports.hmpps_layout import TABLE_HEADINGS
from reporting.exports.pdf_plan import write_plan_pdf
from reporting.selectors.plan_document import plan_document
from tests.reporting_world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]

TODAY = dt.date(2026, 1, 15)


@pytest.fixture
def world():
    with time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield build_world()


def _document(**kwargs):
    return plan_document(today=TODAY, **kwargs)


def _docx(data) -> Document:
    return Document(io.BytesIO(data))


def _paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _pdf_text(data: bytes) -> str:
    # Words wrap inside the table's cells: read the text as one line.
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def _submit(world, inspection, unit, on):
    ResponsePlan.objects.create(
        inspection=inspection,
        unit=unit,
        state=PlanState.SUBMITTED,
        submitted_at=dt.datetime.combine(on, dt.time(11), tzinfo=dt.UTC),
        submitted_by=world.derby_lead,
    )


def test_the_word_document_has_the_hmpps_cover_and_definitions(world):
    _submit(world, world.derby_2023, world.derby, dt.date(2026, 1, 12))
    doc = _docx(write_plan_docx(_document(inspection=world.derby_2023)).getvalue())
    text = _paragraphs(doc)
    assert "Action plan submitted: 12 January 2026" in text
    assert (
        "A response to the HM Inspectorate of Probation inspection: "
        "An inspection of probation services in Derby City PDU" in text
    )
    assert "Report published: 9 February 2023" in text
    definitions = _table_rows(doc.tables[0])
    assert definitions[0] == ["Term", "Definition"]
    assert [row[0] for row in definitions[1:]] == ["Agreed", "Partly agreed", "Not agreed"]
    assert definitions[1][1].startswith("All of the recommendation is agreed with, can be achieved and is affordable")


def test_the_word_documents_table_is_landscape_grouped_by_addressee_with_an_action_a_row(world):
    doc = _docx(write_plan_docx(_document(inspection=world.derby_2023)).getvalue())
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT
    assert doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    assert doc.sections[-1].page_width > doc.sections[-1].page_height
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Definitions",
        "Recommendations to Derby City PDU",
        "Recommendations to Probation Service – East Midlands",
        "Recommendations to HM Prison and Probation Service",
    ]
    pdu_table = _table_rows(doc.tables[1])
    assert pdu_table[0] == TABLE_HEADINGS
    assert pdu_table[0][:6] == [
        "Rec. no",
        "Recommendation",
        "Agreed / Partly agreed / Not agreed",
        "Response and actions",
        "Responsible owner",
        "Target date",
    ]
    # Recommendation 1's number, text and response are merged down its two action rows.
    assert [row[:3] for row in pdu_table[1:]] == [
        ["1", "Improve the quality of management oversight of cases.", "Agreed"]
    ] * 2
    huddles = pdu_table[1]
    assert huddles[3] == "Action: Weekly SPO case review huddles in every team."
    assert huddles[4].startswith("Della Derby")
    assert huddles[5] == "30 June 2026\n(originally 31 March 2026)"
    assert huddles[6] == "In progress" and huddles[7] == "Green"
    # The header row repeats on every page the table runs onto.
    assert doc.tables[1].rows[0]._tr.trPr.xpath("./w:tblHeader")
    hmpps_table = _table_rows(doc.tables[3])
    assert hmpps_table[1][:3] == ["8", "Review the prioritisation framework.", "Awaiting response"]
    assert hmpps_table[1][3] == "No action recorded yet."


def test_a_partly_agreed_response_comes_first_then_its_actions(world):
    doc = _docx(write_plan_docx(_document(unit=world.derbyshire)).getvalue())
    rows = _table_rows(doc.tables[1])
    assert rows[1][2] == "Partly agreed"
    assert rows[1][3] == "Response: Agreed for assessment; planning is covered by the regional plan."
    assert rows[2][3] == "Action: Risk of harm training for every practitioner."
    assert rows[2][7] == "Red"  # overdue on 15 January 2026
    # Text a spreadsheet would run as a formula is only text in Word.
    assert rows[3][1] == '=HYPERLINK("http://x")'


def test_a_plan_of_several_inspections_heads_each_and_names_each_on_the_cover(world):
    _submit(world, world.derby_2023, world.derby, dt.date(2026, 1, 12))
    doc = _docx(write_plan_docx(_document(unit=world.region)).getvalue())
    text = _paragraphs(doc)
    # Each inspection's plan says whether it has been sent.
    assert "Action plan submitted: 12 January 2026" in text
    assert "Action plan not yet submitted: the draft as at 15 January 2026" in text
    assert "Report published: 9 February 2023" in text and "Report published: 20 May 2025" in text
    assert "An inspection of probation services in Derbyshire PDU" in text  # a heading before its tables


def test_text_with_control_characters_still_makes_a_document(world):
    world.derby_r1.text = "Improve oversight\x0b of cases\x1b."
    world.derby_r1.save()
    doc = _docx(write_plan_docx(_document(unit=world.derby)).getvalue())
    assert _table_rows(doc.tables[1])[1][1] == "Improve oversight of cases."


def test_the_pdf_has_the_same_cover_definitions_and_table(world):
    world.derby_r5.response = Response.NOT_AGREED
    world.derby_r5.response_rationale = "Staffing is set nationally."
    world.derby_r5.save()
    text = _pdf_text(write_plan_pdf(_document(inspection=world.derby_2023)))
    assert "Action plan not yet submitted: the draft as at 15 January 2026" in text
    assert "A response to the HM Inspectorate of Probation inspection:" in text
    assert "Report published: 9 February 2023" in text
    assert "All of the recommendation is agreed with, can be achieved and is affordable." in text
    for heading in ("Rec. no", "Recommendation", "Response and actions", "Responsible owner", "Target date"):
        assert heading in text
    assert "Recommendations to Derby City PDU" in text
    assert "Recommendations to HM Prison and Probation Service" in text
    assert "Weekly SPO case review huddles in every team." in text
    assert "In progress" in text and "Green" in text  # status and derived RAG in words
    assert "Not agreed" in text and "Response: Staffing is set nationally." in text
    assert "No action recorded yet." in text
    assert "Page 1 of" in text
    pages = PdfReader(io.BytesIO(write_plan_pdf(_document(inspection=world.derby_2023)))).pages
    assert pages[0].mediabox.width < pages[0].mediabox.height  # the cover stands upright
    assert pages[-1].mediabox.width > pages[-1].mediabox.height  # the table lies landscape


def test_the_command_writes_a_word_document(world, tmp_path):
    output = tmp_path / "plan.docx"
    call_command("export_action_plan", "--format", "docx", "--output", str(output), "--unit", "Derby City")
    doc = _docx(output.read_bytes())
    cells = {cell.text for table in doc.tables for row in table.rows for cell in row.cells}
    assert "Action: Quarterly audit of management oversight." in cells
    assert "Action: Risk of harm training for every practitioner." not in cells


def test_the_word_download_keeps_to_the_users_scope_and_the_plans_filters(client, world):
    client.force_login(world.derbyshire_lead)
    response = client.get(reverse("reporting:plan_docx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"].startswith('attachment; filename="action-plan-derbyshire-pdu-')
    cells = {cell.text for table in _docx(response.content).tables for row in table.rows for cell in row.cells}
    assert "Action: Risk of harm training for every practitioner." in cells
    assert not any("Derby City" in text or "huddles" in text for text in cells)

    client.force_login(world.director)
    response = client.get(reverse("reporting:plan_docx"), {"status": "not_started"})
    cells = {cell.text for table in _docx(response.content).tables for row in table.rows for cell in row.cells}
    assert "Action: Quarterly audit of management oversight." in cells
    assert "Action: Weekly SPO case review huddles in every team." not in cells


def test_the_plan_and_reports_pages_offer_the_word_download(client, world):
    client.force_login(world.director)
    plan = client.get(reverse("recommendations:action_plan")).content.decode()
    assert f'href="{reverse("reporting:plan_docx")}' in plan and "Download for Word (DOCX)" in plan
    reports = client.get(reverse("reporting:index")).content.decode()
    assert f'href="{reverse("reporting:plan_docx")}?within=derby-city"' in reports
