"""Adding, withdrawing and downloading evidence through the pages."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from recommendations import services
from recommendations.models import Evidence, EvidenceKind
from tests import evidence_samples as samples
from tests.versions import seen_version
from tests.web_world import PDF_BYTES, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world():
    return build_world()


def _add(client, world, **fields):
    data = {
        "version": str(world.action.version),
        "title": "Case audit, May 2026",
        "url": "",
        "description": "21 of 30 cases met the standard",
        "relates_to_day": "31",
        "relates_to_month": "5",
        "relates_to_year": "2026",
    } | fields
    return client.post(reverse("recommendations:evidence_add", args=[world.action.pk]), data)


def _stored_files(settings):
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return sorted(root.iterdir()) if root.exists() else []


def test_upload_a_file(client, world, settings):
    client.force_login(world.leader)
    before = len(_stored_files(settings))
    response = _add(client, world, file=SimpleUploadedFile("May audit.pdf", samples.PDF, "text/html"))
    assert response.status_code == 302
    evidence = Evidence.objects.latest("id")
    assert evidence.kind == EvidenceKind.FILE
    assert evidence.content_type == "application/pdf"  # from the contents, not what the browser said
    assert evidence.original_filename == "May audit.pdf"
    assert evidence.size == len(samples.PDF)
    assert evidence.relates_to == dt.date(2026, 5, 31)
    stored = Path(evidence.file.name)
    assert stored.suffix == ".pdf" and "May audit" not in stored.name  # the service names the stored file
    assert len(_stored_files(settings)) == before + 1


def test_add_a_link(client, world):
    client.force_login(world.leader)
    response = _add(client, world, url="https://intranet.justice.example/audit")
    assert response.status_code == 302
    assert Evidence.objects.latest("id").url == "https://intranet.justice.example/audit"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"file": SimpleUploadedFile("report.pdf", samples.EXE)}, "not a real PDF"),
        ({"file": SimpleUploadedFile("chart.png", samples.HTML)}, "not a real PNG image"),
        ({"file": SimpleUploadedFile("empty.pdf", b"")}, "The selected file is empty"),
        ({"file": SimpleUploadedFile("tool.exe", samples.EXE)}, "must be a PDF, Word, Excel"),
        ({}, "Select a file or give a link"),
        ({"url": "javascript:alert(1)"}, "Enter a link in the correct format"),
        ({"title": ""}, "Enter a title"),
        ({"relates_to_day": "1", "relates_to_month": "7", "relates_to_year": "2026"}, "must be today or in the past"),
        ({"relates_to_day": "30", "relates_to_month": "2", "relates_to_year": "2026"}, "must be a real date"),
    ],
)
def test_refused_upload_stores_nothing_and_keeps_the_typed_input(client, world, settings, fields, message):
    client.force_login(world.leader)
    before_rows, before_files = Evidence.objects.count(), len(_stored_files(settings))
    response = _add(client, world, **fields)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "govuk-error-summary" in html
    assert Evidence.objects.count() == before_rows
    assert len(_stored_files(settings)) == before_files
    if "description" not in fields:
        assert "21 of 30 cases met the standard" in html


def test_oversized_upload_is_refused(client, world, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(world.leader)
    big = SimpleUploadedFile("big.pdf", samples.PDF + b"0" * (1024 * 1024))
    html = _add(client, world, file=big).content.decode()
    assert "The selected file must be smaller than 1 MB" in html
    assert not Evidence.objects.filter(title="Case audit, May 2026").exists()


def test_file_and_link_together_are_refused(client, world):
    client.force_login(world.leader)
    html = _add(
        client, world, file=SimpleUploadedFile("a.pdf", samples.PDF), url="https://x.example/a"
    ).content.decode()
    assert "Give a file or a link, not both" in html


def test_download_is_an_attachment_with_a_safe_name(client, world):
    world.evidence.original_filename = 'Audit "final"\r\n.pdf'
    world.evidence.save()
    client.force_login(world.director)
    response = client.get(reverse("recommendations:evidence_download", args=[world.evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Audit final.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == samples.PDF


def test_link_evidence_has_no_download(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("recommendations:evidence_download", args=[world.link.pk]))
    assert response.status_code == 404


def test_withdraw_evidence_keeps_it_marked_with_the_reason(client, world):
    client.force_login(world.leader)
    form = reverse("recommendations:evidence_withdraw", args=[world.evidence.pk])
    assert "Enter why this evidence is being withdrawn" in client.post(form, {"version": "1"}).content.decode()
    response = client.post(form, {"version": "1", "reason": "Wrong quarter's audit"})
    assert response.status_code == 302
    world.evidence.refresh_from_db()
    assert world.evidence.is_withdrawn
    assert world.evidence.withdrawn_by == world.leader
    html = client.get(response["Location"]).content.decode()
    assert "Withdrawn" in html
    assert "Wrong quarter&#x27;s audit" in html
    assert "Evidence (1)" in html  # the link is the only current evidence left


def test_evidence_page_lists_size_type_and_who(client, world):
    client.force_login(world.leader)
    html = client.get(reverse("recommendations:action_detail", args=[world.action.pk])).content.decode()
    assert f"PDF, {filesizeformat(len(PDF_BYTES))}" in html
    assert "added 15 June 2026 at 10:00am by Della Derby" in html
    assert f'href="{reverse("recommendations:evidence_download", args=[world.evidence.pk])}"' in html


def _mark_complete(world):
    services.mark_complete(
        action=world.action,
        by=world.leader,
        narrative="Audit shows the standard is met.",
        expected_version=seen_version(world.action),
    )
    world.action.refresh_from_db()


def _verify(world):
    _mark_complete(world)
    services.verify_action(action=world.action, by=world.director, expected_version=seen_version(world.action))
    world.action.refresh_from_db()


def _buttons(client, world):
    html = client.get(reverse("recommendations:action_detail", args=[world.action.pk])).content.decode()
    add = f'href="{reverse("recommendations:evidence_add", args=[world.action.pk])}"'
    withdraw = f'href="{reverse("recommendations:evidence_withdraw", args=[world.evidence.pk])}"'
    return add in html, withdraw in html


def test_owner_still_adds_evidence_while_a_completed_action_awaits_verification(client, world):
    _mark_complete(world)
    client.force_login(world.leader)
    # Adding, yes; withdrawing what the verifier is looking at, no (it must be returned first).
    assert _buttons(client, world) == (True, False)
    response = _add(client, world, url="https://intranet.justice.example/second-audit")
    assert response.status_code == 302
    assert world.action.evidence.filter(url="https://intranet.justice.example/second-audit").exists()


@pytest.mark.parametrize("who", ["leader", "director"])
def test_a_verified_actions_evidence_can_no_longer_be_added_or_withdrawn(client, world, who):
    _verify(world)
    client.force_login(getattr(world, who))
    count = world.action.evidence.count()

    assert _buttons(client, world) == (False, False)
    for response in (
        client.get(reverse("recommendations:evidence_add", args=[world.action.pk])),
        _add(client, world, url="https://intranet.justice.example/late-audit"),
        client.get(reverse("recommendations:evidence_withdraw", args=[world.evidence.pk])),
        client.post(reverse("recommendations:evidence_withdraw", args=[world.evidence.pk]), {"reason": "Wrong file"}),
    ):
        assert response.status_code == 403
        assert "This action has been verified" in response.content.decode()
        assert "unless it is reopened, with a reason" in response.content.decode()
    assert world.action.evidence.count() == count
    world.evidence.refresh_from_db()
    assert not world.evidence.is_withdrawn


def test_the_service_refuses_evidence_for_a_verified_or_cancelled_action(world):
    _verify(world)
    with pytest.raises(ValidationError, match="has been verified"):
        services.add_evidence(action=world.action, added_by=world.leader, title="Late", url="https://example.org/a")
    with pytest.raises(ValidationError, match="has been verified"):
        services.withdraw_evidence(
            evidence=world.evidence,
            by=world.leader,
            reason="Wrong file",
            expected_version=seen_version(world.evidence.action),
        )
    services.cancel_action(
        action=world.national_action,
        by=world.national_editor,
        reason="Merged with another",
        expected_version=seen_version(world.national_action),
    )
    world.national_action.refresh_from_db()
    with pytest.raises(ValidationError, match="was cancelled"):
        services.add_evidence(
            action=world.national_action, added_by=world.national_editor, title="Late", url="https://example.org/b"
        )


def test_a_user_who_may_not_edit_gets_the_plain_refusal(client, world):
    client.force_login(world.viewer)
    response = client.get(reverse("recommendations:evidence_add", args=[world.action.pk]))
    assert response.status_code == 403
    assert "you do not have permission to change it" in response.content.decode()
