"""Progress updates and evidence are never deleted or rewritten; withdrawing evidence keeps the record."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from recommendations import services
from recommendations.models import Action, DueDateRevision, Evidence, ProgressUpdate
from tests.factories import ProgressUpdateFactory, UserFactory
from tests.versions import seen_version
from tests.web_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        yield build_world()


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True, role="administrator"))
    return client


def _service_routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _service_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name or ""


def test_no_page_of_the_service_deletes_anything():
    routes = [
        (route, name) for route, name in _service_routes(get_resolver().url_patterns) if not route.startswith("admin/")
    ]
    assert routes, "the URL configuration should have pages"
    for route, name in routes:
        assert "delete" not in route.lower() and "delete" not in name.lower(), route
        assert "remove" not in route.lower() and "remove" not in name.lower(), route


def test_a_progress_update_cannot_be_rewritten():
    update = ProgressUpdateFactory(narrative="What happened")
    update.narrative = "What we wish had happened"
    with pytest.raises(ValueError, match="append-only"):
        update.save()
    update.refresh_from_db()
    assert update.narrative == "What happened"


def test_http_delete_on_the_pages_deletes_nothing(client, world):
    client.force_login(world.director)
    for url in (
        reverse("recommendations:action_detail", args=[world.action.pk]),
        reverse("recommendations:evidence_download", args=[world.evidence.pk]),
        reverse("recommendations:evidence_withdraw", args=[world.evidence.pk]),
    ):
        assert client.delete(url).status_code == 405, url
    assert Evidence.objects.filter(pk=world.evidence.pk).exists()


def test_withdrawing_evidence_through_the_page_keeps_the_record_the_file_and_who_and_why(client, world):
    client.force_login(world.leader)
    url = reverse("recommendations:evidence_withdraw", args=[world.evidence.pk])
    version = client.get(url).context["form"]["version"].value()
    response = client.post(url, {"version": version, "reason": "Uploaded to the wrong action"}, follow=True)
    assert response.status_code == 200
    evidence = Evidence.objects.get(pk=world.evidence.pk)
    assert evidence.is_withdrawn
    assert evidence.withdrawn_by == world.leader
    assert evidence.withdrawal_reason == "Uploaded to the wrong action"
    assert (Path(settings.MEDIA_ROOT) / evidence.file.name).read_bytes().startswith(b"%PDF")
    html = response.content.decode()
    assert "Withdrawn" in html and "Uploaded to the wrong action" in html and "Della Derby" in html
    # Still downloadable by those who may see it: the record is evidence of what was claimed.
    assert client.get(reverse("recommendations:evidence_download", args=[evidence.pk])).status_code == 200
    with pytest.raises(Exception, match="already been withdrawn"):
        services.withdraw_evidence(
            evidence=evidence, by=world.leader, reason="Again", expected_version=seen_version(evidence.action)
        )


@pytest.mark.parametrize("model_name", ["evidence", "progressupdate", "duedaterevision"])
def test_the_admin_cannot_delete_evidence_updates_or_due_date_revisions(admin_client, world, model_name):
    services.log_progress(
        action=world.action,
        author=world.leader,
        narrative="Logged",
        status="in_progress",
        expected_version=world.action.version,
    )
    services.revise_due_date(
        action=world.action,
        new_due_date=dt.date(2027, 6, 30),
        reason="Moved",
        by=world.director,
        expected_version=Action.objects.get(pk=world.action.pk).version,
    )
    model = {"evidence": Evidence, "progressupdate": ProgressUpdate, "duedaterevision": DueDateRevision}[model_name]
    obj = model.objects.first()
    before = model.objects.count()
    delete_url = reverse(f"admin:recommendations_{model_name}_delete", args=[obj.pk])
    assert admin_client.get(delete_url).status_code == 403
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = admin_client.get(reverse(f"admin:recommendations_{model_name}_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    bulk = admin_client.post(
        reverse(f"admin:recommendations_{model_name}_changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert model.objects.count() == before


def test_the_admin_cannot_delete_an_action_that_has_updates_or_evidence(admin_client, world):
    delete_url = reverse("admin:recommendations_action_delete", args=[world.action.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Action.objects.filter(pk=world.action.pk).exists()
    assert Evidence.objects.filter(action=world.action).count() == 2


def test_the_admin_can_change_an_evidence_title_but_the_history_keeps_the_old_one(admin_client, world):
    change_url = reverse("admin:recommendations_evidence_change", args=[world.link.pk])
    form = admin_client.get(change_url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields if name not in ("file",)}
    data.update(title="Renamed by the administrator", action=world.action.pk, kind="link")
    response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    records = list(Evidence.history.filter(id=world.link.pk).order_by("history_date", "history_id"))
    assert [r.title for r in records] == ["Quarterly audit of risk assessments", "Renamed by the administrator"]
    assert records[-1].history_user.username == "root"
