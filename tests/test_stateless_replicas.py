"""Two web replicas and two workers share nothing but PostgreSQL, Redis and the S3 bucket, and it shows no seams.

Two gunicorns on different ports, each from its own working folder with its own MEDIA_ROOT,
against one database, one redis-server and one S3 endpoint (moto): a person signs in on A
and carries on on B; a file uploaded on A downloads on B; a change made on B is on A's
pages at once. Two Celery workers consuming one queue send each due reminder exactly once.
"""

import uuid

import pytest

from recommendations.models import Action, Evidence
from reminders.models import DeliveryStatus, NotificationLog
from tests import evidence_samples as samples
from tests.factories import TEST_PASSWORD, ActionFactory, PDUFactory, RecommendationFactory, UserFactory
from tests.processes import RedisServer
from tests.test_reminders_worker import EXPECTED_RECIPIENTS, Worker, received_emails, send_task, wait_for
from tests.test_reminders_worker import plan as plan  # noqa: PLC0414 - a fixture, used by name
from tests.web_processes import Browser, production_env, require_postgresql, start_web

pytestmark = [pytest.mark.needs_services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shared_services(tmp_path, moto_s3):
    require_postgresql()
    redis_server = RedisServer(tmp_path / "redis")
    bucket = moto_s3.create_bucket(f"replicas-{uuid.uuid4().hex[:12]}")
    yield redis_server, moto_s3.env(bucket)
    redis_server.stop()


@pytest.fixture
def two_replicas(tmp_path, shared_services):
    redis_server, s3_env = shared_services
    env = production_env(redis_url=redis_server.url, s3_env=s3_env)
    replicas = []
    try:
        for name in ("a", "b"):
            replicas.append(start_web(tmp_path / f"replica-{name}", env))
        yield replicas
    finally:
        for replica in replicas:
            replica.stop()


def _evidence_form(token, version, title, **extra):
    return {
        "csrfmiddlewaretoken": token,
        "version": str(version),
        "title": title,
        "url": "",
        "description": "",
        "relates_to_day": "",
        "relates_to_month": "",
        "relates_to_year": "",
        **extra,
    }


def test_a_person_moves_between_replicas_without_noticing(two_replicas, tmp_path):
    a, b = two_replicas
    assert a.port != b.port
    leader = UserFactory(username="derby.lead", unit=PDUFactory(name="Derby City PDU"))
    action = ActionFactory(
        recommendation=RecommendationFactory(inspection__unit=leader.unit), unit=leader.unit, owner=leader
    )
    browser = Browser()

    # Signed in on A, still signed in on B: the session is in the shared stores, not in a process.
    browser.sign_in(a.url, "derby.lead", TEST_PASSWORD)
    home_on_b = browser.get(b.url + "/")
    assert home_on_b.status_code == 200, home_on_b.headers.get("Location")
    assert "Sign out" in home_on_b.text

    # Uploaded on A, downloaded on B: the file is in the bucket, not on A's disk.
    add_url = f"/actions/{action.pk}/evidence/new/"
    token = browser.form_token(a.url + add_url)
    uploaded = browser.post(
        a.url + add_url,
        _evidence_form(token, Action.objects.get(pk=action.pk).version, "Case audit, May 2026"),
        files={"file": ("May audit.pdf", samples.PDF, "application/pdf")},
    )
    assert uploaded.status_code == 302, uploaded.text[:2000]
    evidence = Evidence.objects.get(title="Case audit, May 2026")
    assert not (tmp_path / "replica-a" / "media" / "evidence").exists()
    download = browser.get(f"{b.url}/evidence/{evidence.pk}/download/")
    assert download.status_code == 200
    assert download.content == samples.PDF

    # Changed on B, on A's pages at once (no cache of one process outlives a change made in another).
    before = browser.get(f"{a.url}/actions/{action.pk}/")
    assert "Minutes of the quality board" not in before.text
    token = browser.form_token(b.url + add_url)
    linked = browser.post(
        b.url + add_url,
        _evidence_form(
            token,
            Action.objects.get(pk=action.pk).version,
            "Minutes of the quality board",
            url="https://intranet.justice.example/board",
        ),
    )
    assert linked.status_code == 302, linked.text[:2000]
    after = browser.get(f"{a.url}/actions/{action.pk}/")
    assert after.status_code == 200
    assert "Minutes of the quality board" in after.text

    # Signed out on B, signed out on A.
    token = browser.form_token(b.url + "/")
    assert browser.post(b.url + "/sign-out/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert browser.get(a.url + "/").status_code == 302


def test_two_workers_on_one_queue_send_each_due_reminder_exactly_once(shared_services, plan, tmp_path):
    redis_server, s3_env = shared_services
    prefix = f"replicas-{uuid.uuid4().hex}:"
    env = production_env(
        redis_url=redis_server.url,
        s3_env=s3_env,
        CELERY_REDIS_KEY_PREFIX=prefix,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        NOTIFY_API_KEY="",
        PYTHONUNBUFFERED="1",
        LOG_FORMAT="text",
        # A digest another worker is sending is tried again in seconds, not the default minutes.
        REMINDER_SEND_LEASE_SECONDS="3",
        REMINDER_RETRY_BACKOFF_MAX_SECONDS="2",
    )
    mail_dirs = [tmp_path / "mail-1", tmp_path / "mail-2"]
    workers = []
    try:
        for number, mail_dir in enumerate(mail_dirs, start=1):
            mail_dir.mkdir()
            worker_env = {**env, "EMAIL_FILE_PATH": str(mail_dir), "MEDIA_ROOT": str(tmp_path / f"media-{number}")}
            workers.append(Worker(worker_env, tmp_path / f"worker-{number}.log", f"w{number}", concurrency=2))
        for worker in workers:
            worker.wait_until_ready()

        # Several sweeps for the same day at once, as a beat restarted mid-send might queue.
        for _ in range(4):
            send_task(env, "reminders.tasks.daily_reminder_sweep", plan.isoformat())
        wait_for(
            lambda: (
                NotificationLog.objects.exists()
                and set(NotificationLog.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
            ),
            90,
            "every reminder to be sent",
        )
        wait_for(
            lambda: (
                sum(w.log_path.read_text().count("daily_reminder_sweep") for w in workers) >= 8
                and all(w.idle() for w in workers)
            ),
            90,
            "every sweep and send to finish",
        )
    finally:
        for worker in workers:
            worker.stop()

    emails = [email for mail_dir in mail_dirs for email in received_emails(mail_dir)]
    assert sorted(to for to, _ in emails) == EXPECTED_RECIPIENTS
