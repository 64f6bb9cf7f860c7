"""The action plan's XLSX and PDF downloads: the user's scope and the plan page's filters."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting.exports.xlsx_plan import HEADER_ROW
from tests.reporting_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    with time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield build_world()


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content))["Action plan"]
    header = [c.value for c in sheet[HEADER_ROW]]
    return sheet, [
        dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=HEADER_ROW + 1)
    ]


def test_a_pdu_leaders_spreadsheet_never_has_another_pdus_rows(client, world):
    client.force_login(world.derbyshire_lead)
    response = client.get(reverse("reporting:plan_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="action-plan-derbyshire-pdu-')
    _sheet, rows = _xlsx_rows(response)
    assert {r["Inspection"] for r in rows} == {str(world.derbyshire_2025)}
    assert "Weekly SPO case review huddles in every team." not in {r["Action"] for r in rows}


def test_a_pdu_leaders_pdf_never_has_another_pdus_rows(client, world):
    client.force_login(world.derby_lead)
    response = client.get(reverse("reporting:plan_pdf"))
    assert response["Content-Type"] == "application/pdf"
    # Words wrap inside the table's cells: read the text as one line.
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Weekly SPO case review huddles in every team." in text
    assert "Risk of harm training" not in text
    assert "Derbyshire PDU" not in text


def test_the_downloads_follow_the_plan_pages_filters(client, world):
    client.force_login(world.director)
    response = client.get(reverse("reporting:plan_xlsx"), {"status": "not_started"})
    sheet, rows = _xlsx_rows(response)
    assert [r["Action"] for r in rows] == ["Quarterly audit of management oversight."]
    assert "Status: Not started" in sheet["B4"].value
    response = client.get(reverse("reporting:plan_xlsx"), {"inspection": world.derbyshire_2025.pk})
    sheet, rows = _xlsx_rows(response)
    assert sheet["A1"].value == "Action plan: An inspection of probation services in Derbyshire PDU"
    assert {r["Recommendation number"] for r in rows} == {1, 2}


def test_within_takes_a_whole_regions_plan(client, world):
    client.force_login(world.director)
    _sheet, rows = _xlsx_rows(client.get(reverse("reporting:plan_xlsx"), {"within": "east-midlands"}))
    assert {r["Action"] for r in rows} >= {
        "Weekly SPO case review huddles in every team.",
        "Risk of harm training for every practitioner.",
        "Regional recruitment campaign.",
    }
    client.force_login(world.derby_lead)
    assert client.get(reverse("reporting:plan_xlsx"), {"within": "derbyshire"}).status_code == 404


def test_downloads_need_sign_in(client, world):
    response = client.get(reverse("reporting:plan_pdf"))
    assert response.status_code == 302 and "sign-in" in response.url


def test_the_reports_page_lists_the_directors_units(client, world):
    client.force_login(world.director)
    html = client.get(reverse("reporting:index")).content.decode()
    assert "<title>Reports – " in html
    assert reverse("reporting:calendar") in html
    for unit in ("Derby City PDU", "Derbyshire PDU", "Probation Service – East Midlands"):
        assert unit in html
    assert reverse("reporting:evidence_pack", args=["derby-city"]) in html
    assert "DLNR CRC" not in html  # a legacy body reports through its successor


def test_the_action_plan_page_offers_the_downloads_with_its_filters(client, world):
    client.force_login(world.director)
    html = client.get(reverse("recommendations:action_plan"), {"status": "blocked", "page": "1"}).content.decode()
    assert f'href="{reverse("reporting:plan_xlsx")}?status=blocked"' in html
    assert f'href="{reverse("reporting:plan_pdf")}?status=blocked"' in html


def test_the_regional_dashboard_shows_progress(client, world):
    client.force_login(world.director)
    html = client.get(reverse("recommendations:regional_dashboard", args=["east-midlands"])).content.decode()
    assert "Progress over time" in html and 'role="img"' in html
    assert "Measures of impact" in html


def test_a_pdf_too_large_to_print_is_refused_with_a_way_forward(client, world, settings):
    settings.PLAN_PDF_MAX_ROWS = 3
    client.force_login(world.director)
    response = client.get(reverse("reporting:plan_pdf"))
    assert response.status_code == 413
    html = response.content.decode()
    assert "The plan is too large to print" in html and reverse("reporting:plan_xlsx") in html
    assert client.get(reverse("reporting:plan_pdf"), {"inspection": world.derbyshire_2025.pk}).status_code == 200
