"""The recommendations' spreadsheet import in the admin: preview first, errors by line, all rows
or none, history kept. (Actions are imported on the service's own page: test_plan_spreadsheet.)"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.models import Recommendation
from tests.factories import PDUFactory, RecommendationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    user = UserFactory(username="data.admin", is_staff=True, is_superuser=True, role="administrator")
    client.force_login(user)
    return user


@pytest.fixture
def recommendation():
    pdu = PDUFactory(slug="derby-city", name="Derby City")
    UserFactory(username="derbycity.lead", unit=pdu)
    return RecommendationFactory(inspection__unit=pdu)


def _csv(rows, headers):
    lines = [",".join(headers)] + [",".join(str(v) for v in row) for row in rows]
    return SimpleUploadedFile("actions.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def _format_index(client, model, title):
    response = client.get(reverse(f"admin:recommendations_{model}_import"))
    choices = {label: value for value, label in response.context["form"].fields["format"].choices}
    return choices[title]


def _preview(client, model, upload, title="csv"):
    return client.post(
        reverse(f"admin:recommendations_{model}_import"),
        {"resource": "0", "format": _format_index(client, model, title), "import_file": upload},
    )


def _confirm(client, model, preview):
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(reverse(f"admin:recommendations_{model}_process_import"), data)


def test_recommendation_import_reports_an_unknown_inspection_by_line(client, administrator, recommendation):
    headers = ["inspection_id", "number", "addressed_to", "text", "response", "response_rationale"]
    rows = [
        (recommendation.inspection_id, 50, "derby-city", "Improve oversight.", "", ""),
        (999999, 51, "derby-city", "Ghost inspection.", "", ""),
    ]
    preview = _preview(client, "recommendation", _csv(rows, headers=headers))
    html = preview.content.decode()
    assert preview.context.get("confirm_form") is None
    assert "Line number: 2 - No inspection has the pk “999999”." in html
    assert not Recommendation.objects.filter(number__in=[50, 51]).exists()


def test_a_recommendation_import_records_history(client, administrator, recommendation):
    headers = ["inspection_id", "number", "addressed_to", "text", "response", "response_rationale"]
    rows = [(recommendation.inspection_id, 60, "derby-city", "Improve the quality of oversight.", "", "")]
    _confirm(client, "recommendation", _preview(client, "recommendation", _csv(rows, headers=headers)))
    imported = Recommendation.objects.get(number=60)
    assert imported.history.get().history_user == administrator


@pytest.mark.parametrize("name", ["/etc/passwd", "../../etc/passwd", "tmpabc", ""])
def test_the_confirmation_cannot_be_pointed_at_another_file(client, administrator, tmp_path, name):
    victim = tmp_path / "victim.csv"
    victim.write_text("inspection_id,number\n1,1\n")
    response = client.post(
        reverse("admin:recommendations_recommendation_process_import"),
        {
            "import_file_name": str(victim) if name == "" else name,
            "original_file_name": "a.csv",
            "format": "0",
            "resource": "0",
        },
    )
    assert response.status_code == 400
    assert victim.exists()
    assert Recommendation.objects.count() == 0


def test_only_administrators_reach_the_import(client, recommendation):
    client.force_login(UserFactory(username="not.staff"))
    response = client.get(reverse("admin:recommendations_recommendation_import"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.fixture
def import_folder(tmp_path, monkeypatch):
    from recommendations.resources import ImportUploadStorage

    folder = tmp_path / "imports"
    monkeypatch.setattr(ImportUploadStorage, "FOLDER", folder)
    return folder


def _held(folder):
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


def test_a_failed_import_leaves_no_file_behind(client, administrator, recommendation, import_folder):
    headers = ["inspection_id", "number", "addressed_to", "text", "response", "response_rationale"]
    preview = _preview(client, "recommendation", _csv([(999999, 51, "derby-city", "Ghost.", "", "")], headers))
    assert preview.context.get("confirm_form") is None
    assert _held(import_folder) == []


def test_a_confirmed_import_leaves_no_file_behind(client, administrator, recommendation, import_folder):
    headers = ["inspection_id", "number", "addressed_to", "text", "response", "response_rationale"]
    rows = [(recommendation.inspection_id, 50, "derby-city", "Improve oversight.", "", "")]
    preview = _preview(client, "recommendation", _csv(rows, headers))
    assert len(_held(import_folder)) == 1
    assert _confirm(client, "recommendation", preview).status_code == 302
    assert _held(import_folder) == []


def test_an_abandoned_preview_is_removed_after_an_hour(client, administrator, recommendation, import_folder):
    import os
    import time

    headers = ["inspection_id", "number", "addressed_to", "text", "response", "response_rationale"]
    rows = [(recommendation.inspection_id, 50, "derby-city", "Improve oversight.", "", "")]
    _preview(client, "recommendation", _csv(rows, headers))
    (abandoned,) = import_folder.glob("*")
    two_hours_ago = time.time() - 2 * 60 * 60
    os.utime(abandoned, (two_hours_ago, two_hours_ago))
    _preview(client, "recommendation", _csv(rows, headers))
    assert abandoned.name not in _held(import_folder) and len(_held(import_folder)) == 1


HEADERS = ["inspection_id", "number", "addressed_to", "text", "response", "response_rationale"]


@pytest.fixture
def recorded(monkeypatch):
    """The recommendations created through services.record_recommendation, the report import's function."""
    from recommendations.services import published

    created, record = [], published.record_recommendation

    def spy(**kwargs):
        created.append(record(**kwargs))
        return created[-1]

    monkeypatch.setattr(published, "record_recommendation", spy)
    return created


def test_a_recommendation_imported_in_the_admin_is_created_as_the_report_import_creates_it(
    client, administrator, recommendation, recorded
):
    rows = [(recommendation.inspection_id, 70, "derby-city", "Improve the quality of oversight.", "agreed", "")]
    _confirm(client, "recommendation", _preview(client, "recommendation", _csv(rows, HEADERS)))
    imported = Recommendation.objects.get(number=70)
    # Once for the preview (rolled back), once on confirmation.
    assert [r.number for r in recorded] == [70, 70] and recorded[-1] == imported
    assert [unit.slug for unit in imported.addressees.all()] == ["derby-city"]
    assert (imported.response, imported.response_recorded_by) == ("agreed", administrator)
    assert imported.history.last().history_user == administrator


def test_correcting_a_recommendations_first_addressee_in_the_admin_import_makes_it_an_addressee(
    client, administrator, recommendation, recorded
):
    PDUFactory(slug="derbyshire", name="Derbyshire")
    row = (recommendation.inspection_id, recommendation.number, "derbyshire", recommendation.text, "", "")
    _confirm(client, "recommendation", _preview(client, "recommendation", _csv([row], HEADERS)))
    recommendation.refresh_from_db()
    assert recommendation.addressed_to.slug == "derbyshire"
    assert "derbyshire" in {unit.slug for unit in recommendation.addressees.all()}
    assert recorded == []
