"""The action plan exports, read back as a user's program would read them."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from recommendations.exports.csv_plan import write_plan_csv
from recommendations.models import Action
from reporting.exports.pdf_plan import write_plan_pdf
from reporting.exports.xlsx_plan import HEADER_ROW, write_plan_xlsx
from reporting.selectors.plan_document import NO_ACTION_YET, plan_document
from tests.reporting_world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]

CSV_REQUIRED = [
    "Inspection",
    "Recommendation number",
    "Recommendation",
    "Addressed to",
    "Response",
    "Action",
    "Owner",
    "Due date",
    "Status",
    "RAG",
    "Latest update",
    "Evidence count",
]


@pytest.fixture
def world():
    with time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield build_world()


def _document(unit=None, inspection=None, **kwargs):
    return plan_document(unit=unit, inspection=inspection, today=dt.date(2026, 1, 15), **kwargs)


def _pdf_text(data: bytes) -> str:
    # Words wrap inside the table's cells: read the text as one line.
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_a_pdu_plan_has_a_row_per_action_and_one_per_recommendation_without_actions(world):
    rows = _document(unit=world.derbyshire).rows
    descriptions = [row["action"] for row in rows]
    assert descriptions == ["Risk of harm training for every practitioner.", NO_ACTION_YET]
    derby_rows = _document(unit=world.derby).rows
    assert {r["action"] for r in derby_rows} == {
        "Weekly SPO case review huddles in every team.",
        "Quarterly audit of management oversight.",
    }
    huddles = next(r for r in derby_rows if r["action_id"] == world.derby_a1.pk)
    assert huddles["original_due_date"] == dt.date(2026, 3, 31)
    assert huddles["due_date"] == dt.date(2026, 6, 30)
    assert huddles["latest_update"] == "Huddles running in four of five teams."
    assert huddles["response"] == "Agreed"
    assert huddles["status"] == "In progress"
    assert huddles["owner"] == "Della Derby"


def test_an_inspection_plan_has_every_recommendation_whoever_it_is_addressed_to(world):
    rows = _document(inspection=world.derby_2023).rows
    assert [r["recommendation_number"] for r in rows] == [1, 1, 5, 8]
    assert rows[-1]["action"] == NO_ACTION_YET and rows[-1]["addressed_to"] == "HM Prison and Probation Service"


def test_the_region_plan_covers_every_pdu(world):
    rows = _document(unit=world.region).rows
    assert {r["action_id"] for r in rows if r["action_id"]} == set(Action.objects.values_list("pk", flat=True))


def test_xlsx_has_title_rows_a_frozen_header_and_real_dates(world):
    data = write_plan_xlsx(_document(unit=world.derby)).getvalue()
    sheet = load_workbook(io.BytesIO(data))["Action plan"]
    assert sheet["A1"].value == "Action plan: Derby City PDU"
    assert sheet["A2"].value == "Probation Delivery Unit"
    assert sheet["A3"].value == "As at"
    assert sheet["B3"].value.date() == dt.date(2026, 1, 15)
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[:6] == ["Inspection", "Recommendation number", "Recommendation", "Addressed to", "Response", "Action"]
    assert "Original due date" in header and "Current due date" in header
    assert "RAG (self-assessed)" in header and "RAG (derived)" in header
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.column_dimensions["C"].width == 60
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    huddles = next(r for r in rows if r["Action"] == "Weekly SPO case review huddles in every team.")
    assert isinstance(huddles["Current due date"], dt.datetime)
    assert huddles["Current due date"].date() == dt.date(2026, 6, 30)
    assert huddles["Original due date"].date() == dt.date(2026, 3, 31)
    assert huddles["Recommendation number"] == 1
    assert huddles["RAG (derived)"] == "Green"
    assert sheet.cell(row=HEADER_ROW + 1, column=3).alignment.wrap_text
    # Rows are tall enough for their wrapped text, also in programs that do not resize rows themselves.
    assert sheet.row_dimensions[HEADER_ROW].height >= 30
    assert all(sheet.row_dimensions[r].height >= 15 for r in range(HEADER_ROW + 1, sheet.max_row + 1))
    assert sheet.page_setup.orientation == "landscape"


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(world):
    data = write_plan_xlsx(_document(unit=world.derbyshire)).getvalue()
    sheet = load_workbook(io.BytesIO(data))["Action plan"]
    cells = [c for row in sheet.iter_rows(min_row=HEADER_ROW + 1) for c in row if c.value == '=HYPERLINK("http://x")']
    assert cells and all(c.data_type == "s" for c in cells)


def test_csv_has_the_template_columns(world):
    stream = io.StringIO()
    write_plan_csv(_document(unit=world.derbyshire).plan_rows, stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert set(CSV_REQUIRED) <= set(rows[0])
    by_number = {row["Recommendation number"]: row for row in rows}
    assert by_number["1"]["Response"] == "Partly agreed"
    assert by_number["1"]["Due date"] == "2025-12-31"
    assert by_number["1"]["Derived RAG"] == "Red"  # overdue on 15 January 2026
    assert by_number["2"]["Action"] == ""
    assert by_number["2"]["Recommendation"].startswith("'=")  # neutralised for spreadsheets


def test_pdf_has_a_table_row_per_action_under_its_recommendation_and_page_numbers(world):
    # The layout itself (HMPPS's cover, definitions and table) is tested in test_reporting_hmpps_document.
    text = _pdf_text(write_plan_pdf(_document(inspection=world.derby_2023)))
    for text_of_recommendation in (
        "Improve the quality of management oversight",
        "Make sure staffing levels are sufficient.",
        "Review the prioritisation framework.",
    ):
        assert text_of_recommendation in text
    assert "Weekly SPO case review huddles in every team." in text
    assert "In progress" in text and "Green" in text  # status and RAG in words
    assert "Page 1 of" in text
    assert "No action recorded yet." in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_the_command_writes_each_format(world, tmp_path, fmt):
    output = tmp_path / f"plan.{fmt}"
    call_command("export_action_plan", "--format", fmt, "--output", str(output), "--unit", "Derby City")
    data = output.read_bytes()
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert set(CSV_REQUIRED) <= set(rows[0])
        assert {r["Action"] for r in rows} == {
            "Weekly SPO case review huddles in every team.",
            "Quarterly audit of management oversight.",
        }
        assert "Risk of harm training for every practitioner." not in {r["Action"] for r in rows}
    elif fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data))["Action plan"]
        assert "Derby City PDU" in sheet["A1"].value
    else:
        assert data.startswith(b"%PDF")
        assert "Quarterly audit of management oversight." in _pdf_text(data)


def test_the_command_exports_one_inspection(world, tmp_path):
    output = tmp_path / "plan.csv"
    call_command("export_action_plan", "--output", str(output), "--inspection", str(world.derbyshire_2025.pk))
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    assert {r["Recommendation number"] for r in rows} == {"1", "2"}


def test_the_command_refuses_an_unknown_unit_or_inspection(world, tmp_path):
    with pytest.raises(CommandError, match="No unit is called 'Atlantis'"):
        call_command("export_action_plan", "--output", str(tmp_path / "x.csv"), "--unit", "Atlantis")
    with pytest.raises(CommandError, match="no inspection with id 9999"):
        call_command("export_action_plan", "--output", str(tmp_path / "x.csv"), "--inspection", "9999")
    with pytest.raises(CommandError, match="not an inspection id"):
        call_command("export_action_plan", "--output", str(tmp_path / "x.csv"), "--inspection", "derby")


def test_the_document_is_built_in_a_constant_number_of_queries(world, django_assert_max_num_queries):
    # The plan's rows take two reads: the actions, then their recommendations' columns once each.
    with django_assert_max_num_queries(11):
        document = _document(unit=world.region)
        assert len(document.rows) >= 5
