"""Spreadsheet imports in the admin: preview first, errors by line, all rows or none, history kept."""

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations import services
from recommendations.models import Action, Recommendation
from recommendations.resources import ActionResource, ImportUploadStorage
from tests.factories import ActionFactory, PDUFactory, RecommendationFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTION_HEADERS = ["recommendation_id", "description", "owner", "unit", "success_measure", "start_date", "due_date"]


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


def _csv(rows, headers=ACTION_HEADERS):
    lines = [",".join(headers)] + [",".join(str(v) for v in row) for row in rows]
    return SimpleUploadedFile("actions.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def _xlsx(rows, headers=ACTION_HEADERS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("actions.xlsx", buffer.getvalue())


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


def _good_rows(recommendation, n=2):
    return [
        (recommendation.pk, f"Action {i}", "derbycity.lead", "derby-city", "Measured", "2026-01-05", "2026-06-30")
        for i in range(1, n + 1)
    ]


@pytest.mark.parametrize("title, make_file", [("csv", _csv), ("xlsx", _xlsx)])
def test_an_import_shows_a_preview_and_writes_nothing_until_confirmed(
    client, administrator, recommendation, title, make_file
):
    preview = _preview(client, "action", make_file(_good_rows(recommendation)), title)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Preview" in html and "Action 1" in html and "Action 2" in html
    assert preview.context["confirm_form"] is not None
    assert Action.objects.count() == 0

    confirmed = _confirm(client, "action", preview)
    assert confirmed.status_code == 302
    actions = Action.objects.order_by("description")
    assert [a.description for a in actions] == ["Action 1", "Action 2"]
    assert actions[0].original_due_date == dt.date(2026, 6, 30)
    assert actions[0].created_by == administrator


def test_an_admin_import_records_history_with_who_imported(client, administrator, recommendation):
    preview = _preview(client, "action", _csv(_good_rows(recommendation, n=3)))
    _confirm(client, "action", preview)
    for action in Action.objects.all():
        records = list(action.history.all())
        assert len(records) == 1
        assert records[0].history_type == "+"
        assert records[0].history_user == administrator


def test_an_import_that_changes_actions_records_old_and_new_values_and_bumps_the_version(
    client, administrator, recommendation
):
    action = ActionFactory(recommendation=recommendation, description="Old wording")
    version = action.version
    rows = [
        (action.pk, recommendation.pk, "New wording", "derbycity.lead", "derby-city", "", "2026-01-05", "2026-12-31")
    ]
    preview = _preview(client, "action", _csv(rows, headers=["id", *ACTION_HEADERS]))
    _confirm(client, "action", preview)
    action.refresh_from_db()
    assert action.description == "New wording"
    assert action.version == version + 1
    latest = action.history.latest()
    change = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in change.changes if c.field == "description"] == [
        ("description", "Old wording", "New wording")
    ]
    assert latest.history_user == administrator


def test_a_stale_edit_is_refused_after_an_import_changed_the_action(client, administrator, recommendation):
    action = ActionFactory(recommendation=recommendation)
    opened_version = action.version  # someone opens the action's page...
    rows = [(action.pk, recommendation.pk, "Imported", "derbycity.lead", "derby-city", "", "2026-01-05", "2026-12-31")]
    _confirm(client, "action", _preview(client, "action", _csv(rows, headers=["id", *ACTION_HEADERS])))
    with pytest.raises(services.StaleEditError):  # ...and saves after the import
        services.log_progress(
            action=action, author=action.owner, narrative="Done", status="blocked", expected_version=opened_version
        )


def test_row_errors_are_reported_with_line_numbers_and_no_confirmation_is_offered(
    client, administrator, recommendation
):
    rows = [
        *_good_rows(recommendation, n=1),
        (recommendation.pk, "Unknown unit", "derbycity.lead", "no-such-unit", "", "2026-01-05", "2026-06-30"),
        (recommendation.pk, "Impossible date", "derbycity.lead", "derby-city", "", "2026-01-05", "2026-02-31"),
        (recommendation.pk, "Ends before it starts", "derbycity.lead", "derby-city", "", "2026-09-01", "2026-06-30"),
    ]
    preview = _preview(client, "action", _csv(rows))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert preview.context.get("confirm_form") is None
    result = preview.context["result"]
    invalid = {row.number: row for row in result.invalid_rows}
    assert sorted(invalid) == [2, 3, 4]
    assert "No organisation unit has the slug “no-such-unit”." in html
    assert "due_date" in invalid[3].field_specific_errors
    assert "Ends before it starts" in html
    assert Action.objects.count() == 0


def test_one_bad_row_means_nothing_is_imported_even_when_the_preview_is_skipped(administrator, recommendation):
    """The confirmation step re-runs the import: a file that changed meanwhile still commits all or nothing."""
    rows = [*_good_rows(recommendation, n=3)]
    rows.append((recommendation.pk, "Bad", "derbycity.lead", "derby-city", "", "2026-01-05", "not a date"))
    import tablib

    dataset = tablib.Dataset(*rows, headers=ACTION_HEADERS)
    result = ActionResource().import_data(dataset, dry_run=False, user=administrator)
    assert result.has_validation_errors()
    assert Action.objects.count() == 0
    assert Action.history.count() == 0


def test_the_confirmation_step_is_all_or_nothing_too(client, administrator, recommendation, monkeypatch):
    preview = _preview(client, "action", _csv(_good_rows(recommendation, n=3)))
    # Between preview and confirmation a unit is renamed, so the third row can no longer be matched.
    storage = ImportUploadStorage(name=preview.context["confirm_form"].initial["import_file_name"])
    text = Path(storage.get_full_path()).read_text().replace("Action 3,derbycity.lead,derby-city", "Action 3,x,x")
    Path(storage.get_full_path()).write_text(text)
    _confirm(client, "action", preview)
    assert Action.objects.count() == 0


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
    victim.write_text("recommendation_id,description\n1,x\n")
    response = client.post(
        reverse("admin:recommendations_action_process_import"),
        {
            "import_file_name": str(victim) if name == "" else name,
            "original_file_name": "a.csv",
            "format": "0",
            "resource": "0",
        },
    )
    assert response.status_code == 400
    assert victim.exists()
    assert Action.objects.count() == 0


def test_only_administrators_reach_the_import(client, recommendation):
    client.force_login(UserFactory(username="not.staff"))
    response = client.get(reverse("admin:recommendations_action_import"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
