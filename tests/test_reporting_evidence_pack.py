"""The evidence pack: a ZIP whose index lists every file in it, and nothing it lacks."""

import datetime as dt
import io
import re
import zipfile

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Action, ActionStatus, Recommendation
from reporting.exports.evidence_zip import INDEX_NAME, write_evidence_zip
from reporting.selectors.evidence_pack import build_evidence_pack, safe_file_name
from tests.reporting_world import LinkEvidenceFactory, build_world, file_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    with time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        world = build_world()
        world.audit = file_evidence(world.derby_a1, title="Huddle audit", filename="Huddle audit (final).pdf")
        world.same_name = file_evidence(world.derby_a1, title="Second audit", filename="Huddle audit (final).pdf")
        world.old = file_evidence(world.derby_a1, title="Old audit", filename="old.pdf", withdrawn=True)
        world.link = LinkEvidenceFactory(action=world.derby_a2, title="Audit tracker on the intranet")
        world.shire_file = file_evidence(world.shire_a1, title="Training register", filename="register.xlsx")
        world.region_file = file_evidence(world.region_a, title="Recruitment plan", filename="../../etc/passwd")
        Action.objects.filter(pk=world.derby_a1.pk).update(
            status=ActionStatus.VERIFIED,
            completed_at=timezone.now(),
            completed_by=world.derby_lead,
            verified_at=timezone.now(),
            verified_by=world.director,
        )
        yield world


def _zip(pack):
    stream = io.BytesIO()
    write_evidence_zip(pack, stream)
    return zipfile.ZipFile(io.BytesIO(stream.getvalue()))


def _index_files(index_html):
    return set(re.findall(r'data-pack-file="([^"]+)"', index_html))


def _pack(unit, *, user=None):
    from recommendations.scope import actions_visible_to, recommendations_visible_to

    recommendations = recommendations_visible_to(user) if user else Recommendation.objects.all()
    actions = actions_visible_to(user) if user else Action.objects.all()
    return build_evidence_pack(unit=unit, recommendations=recommendations, actions=actions, today=dt.date(2026, 1, 15))


def test_the_index_lists_every_file_in_the_zip_and_every_listed_file_is_there(world):
    archive = _zip(_pack(world.derby))
    index = archive.read(INDEX_NAME).decode()
    files = set(archive.namelist()) - {INDEX_NAME}
    assert files == _index_files(index)
    inspection = f"2023-derby-city-{world.derby_2023.pk}"
    folder = f"{inspection}/recommendation-01/action-{world.derby_a1.pk}"
    assert files == {
        f"{folder}/Huddle_audit_final.pdf",
        f"{folder}/Huddle_audit_final-2.pdf",
        # The region's action on recommendation 5 of the Derby City inspection is part of its pack.
        f"{inspection}/recommendation-05/action-{world.region_a.pk}/passwd",
    }
    assert archive.read(f"{folder}/Huddle_audit_final.pdf") == b"%PDF-1.4 audit"


def test_the_index_shows_verification_links_and_marks_withdrawn_evidence(world):
    index = _zip(_pack(world.derby)).read(INDEX_NAME).decode()
    assert "Recommendation 1" in index and "Improve the quality of management oversight of cases." in index
    assert "by Dana Director on 15 January 2026" in index  # verified: who and when
    assert 'href="https://intranet.justice.example/audits/q3"' in index
    assert "Withdrawn" in index and "Old audit" in index and "Superseded by the later audit." in index
    assert "old.pdf" not in "".join(_zip(_pack(world.derby)).namelist())


def test_a_hostile_file_name_stays_inside_its_folder(world):
    archive = _zip(_pack(world.region))
    names = archive.namelist()
    assert all(".." not in name and not name.startswith("/") for name in names)
    assert any(name.endswith(f"action-{world.region_a.pk}/passwd") for name in names)


def test_safe_file_names_are_unique_and_never_empty():
    taken = set()
    assert safe_file_name("report.pdf", fallback="e1", taken=taken) == "report.pdf"
    assert safe_file_name("REPORT.pdf", fallback="e2", taken=taken) == "REPORT-2.pdf"
    assert safe_file_name("???", fallback="evidence-3", taken=taken) == "evidence-3"


def test_a_long_name_keeps_its_checked_extension_however_long_it_is():
    name = "x" * 115 + ".html.txt"
    shortened = safe_file_name(name, fallback="e1", taken=set(), extension=".txt")
    assert shortened.endswith(".txt") and not shortened.endswith(".html")
    assert len(shortened) <= 120
    # A second file of the same name is numbered before the extension, not after it.
    taken = {shortened.lower()}
    assert safe_file_name(name, fallback="e2", taken=taken, extension=".txt").endswith("-2.txt")


def test_a_long_named_text_file_is_never_renamed_into_a_web_page_in_the_pack(world):
    long_name = "x" * 115 + ".html.txt"
    file_evidence(world.derby_a2, title="Notes", filename=long_name, content=b"<script>alert(1)</script>")
    archive = _zip(_pack(world.region))
    names = [name for name in archive.namelist() if f"action-{world.derby_a2.pk}/" in name]
    assert len(names) == 1
    assert names[0].endswith(".txt") and not names[0].endswith(".html")
    assert len(names[0].rpartition("/")[2]) <= 120
    assert names[0] in _index_files(archive.read(INDEX_NAME).decode())


def test_a_pdu_leader_downloads_only_their_own_units_pack(client, world):
    client.force_login(world.derbyshire_lead)
    assert client.get(reverse("reporting:evidence_pack", args=["derby-city"])).status_code == 404
    response = client.get(reverse("reporting:evidence_pack", args=["derbyshire"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "evidence-pack-derbyshire-" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert set(archive.namelist()) - {INDEX_NAME} == {
        f"2025-derbyshire-{world.derbyshire_2025.pk}/recommendation-01/action-{world.shire_a1.pk}/register.xlsx"
    }
    assert "Derby City" not in archive.read(INDEX_NAME).decode()


def test_the_director_downloads_the_region_with_every_pdu(client, world):
    client.force_login(world.director)
    response = client.get(reverse("reporting:evidence_pack", args=["east-midlands"]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    files = set(archive.namelist()) - {INDEX_NAME}
    assert len(files) == 4  # two Derby City audits, Derbyshire's register, the region's plan
    assert files == _index_files(archive.read(INDEX_NAME).decode())


def test_the_command_writes_the_pack(world, tmp_path):
    output = tmp_path / "pack.zip"
    call_command("export_evidence_pack", "--unit", "Derbyshire", "--output", str(output))
    archive = zipfile.ZipFile(output)
    assert any(name.endswith("register.xlsx") for name in archive.namelist())
    with pytest.raises(CommandError, match="No unit is called"):
        call_command("export_evidence_pack", "--unit", "Nowhere", "--output", str(output))


def test_a_file_missing_from_storage_is_reported_not_fatal(world):
    world.shire_file.file.storage.delete(world.shire_file.file.name)
    pack = _pack(world.derbyshire)
    stream = io.BytesIO()
    assert len(write_evidence_zip(pack, stream)) == 1
    archive = zipfile.ZipFile(io.BytesIO(stream.getvalue()))
    assert archive.namelist() == [INDEX_NAME]
    assert "could not be read from storage" in archive.read(INDEX_NAME).decode()
