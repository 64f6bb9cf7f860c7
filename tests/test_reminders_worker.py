"""Reminders through a real Celery worker, Redis and PostgreSQL: sent once, even when things go wrong.

Each test starts `celery -A tracker worker` as a separate process, pointed at Redis and at
this test run's PostgreSQL database (data is committed with transactional_db so the worker
sees it), with Django's file email backend writing into the test's folder.
"""

import datetime as dt
import email
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from recommendations.models import Role
from reminders.models import DeliveryStatus, DigestMessage, NotificationLog
from tests.conftest import skip_or_fail
from tests.factories import (
    ActionFactory,
    DirectorFactory,
    PDUFactory,
    RecommendationFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.needs_services

BASE_DIR = Path(__file__).resolve().parent.parent
VISIBILITY_TIMEOUT = 4  # seconds: Redis hands an unacknowledged task to another worker after this
LEASE = 3  # seconds: a claim on an email's reminders lapses after this


def _redis_url():
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _database_url():
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def services_env(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        skip_or_fail(
            "The Celery worker tests need PostgreSQL (set DATABASE_URL=postgres://…): a worker process cannot "
            "see the rows of an SQLite test database held in this process's transaction"
        )
    import redis

    url = _redis_url()
    # Other test runs on this machine may use the same Redis database at the same time:
    # keys of our own keep their workers off our tasks, and ours off theirs.
    prefix = f"reminders-test-{uuid.uuid4().hex}:"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis is not reachable at {url}: {exc}")
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CONN_MAX_AGE": "0",
        "REDIS_URL": url,
        "CELERY_REDIS_KEY_PREFIX": prefix,
        "EMAIL_BACKEND": "tests.gated_email_backend.GatedFileBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "REMINDER_SEND_LEASE_SECONDS": str(LEASE),
        "REMINDER_RETRY_BACKOFF_MAX_SECONDS": "2",
        "NOTIFY_API_KEY": "",
        "PYTHONUNBUFFERED": "1",
    }
    yield env, mail_dir
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    client.close()


class Worker:
    """A `celery -A tracker worker` process of our own, in its own process group."""

    def __init__(self, env, log_path, name, concurrency=1):
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 - kept open for the process's lifetime
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tracker",
                "worker",
                "-l",
                "info",
                "-P",
                "prefork",
                "-c",
                str(concurrency),
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log_path.read_text():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        pytest.fail(f"Celery worker did not start:\n{self.log_path.read_text()[-3000:]}")

    def idle(self):
        """Every task this worker has received has finished (succeeded, failed or was retried)."""
        log = self.log_path.read_text()
        finished = log.count("] succeeded in ") + log.count("] retry: ") + log.count("] raised ")
        return log.count("] received") == finished

    def kill(self):
        """kill -9 the worker and its pool processes, as a crash or an OOM kill would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def start_worker(services_env, tmp_path):
    env, _ = services_env
    workers = []

    def start(name="w1", concurrency=1, **extra_env):
        worker = Worker({**env, **extra_env}, tmp_path / f"{name}.log", name, concurrency)
        workers.append(worker)
        worker.wait_until_ready()
        return worker

    yield start
    for worker in workers:
        if worker.process.poll() is None:
            worker.stop()


def send_task(env, name, *args):
    from celery import Celery

    client = Celery("reminders-test-client", broker=env["REDIS_URL"])
    client.conf.broker_transport_options = {"global_keyprefix": env["CELERY_REDIS_KEY_PREFIX"]}
    try:
        client.send_task(name, args=list(args))
    finally:
        client.close()


def received_emails(mail_dir):
    """Every email the file backend wrote: (recipient, subject) pairs."""
    emails = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk)
                emails.append((message["To"], message["Subject"]))
    return emails


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Timed out after {timeout}s waiting for {what}")


def all_sent():
    statuses = set(NotificationLog.objects.values_list("status", flat=True))
    return statuses == {DeliveryStatus.SENT}


@pytest.fixture
def plan(transactional_db):
    """Reminders due today for three people: two owners (one escalated action) and a director."""
    today = timezone.localdate()
    region = RegionFactory()
    pdu = PDUFactory(parent=region)
    alice = UserFactory(username="alice", unit=pdu, role=Role.PDU_LEADER)
    bob = UserFactory(username="bob", unit=pdu, role=Role.PDU_LEADER)
    DirectorFactory(username="dora", unit=region)
    recommendation = RecommendationFactory(inspection__unit=pdu)

    def action(owner, due_in_days):
        due = today + dt.timedelta(days=due_in_days)
        return ActionFactory(recommendation=recommendation, owner=owner, start_date=None, original_due_date=due)

    action(alice, 7)
    action(alice, -1)
    action(bob, 30)
    action(bob, -15)  # escalated: alice (the unit's other leader) and dora hear of it too
    return today


EXPECTED_RECIPIENTS = ["alice@justice.example", "bob@justice.example", "dora@justice.example"]


def test_the_worker_sends_each_person_one_email_and_a_second_sweep_sends_nothing(start_worker, services_env, plan):
    env, mail_dir = services_env
    worker = start_worker(concurrency=2)

    # Two sweeps for the same day, queued together: the worker may run them at once.
    send_task(env, "reminders.tasks.daily_reminder_sweep", plan.isoformat())
    send_task(env, "reminders.tasks.daily_reminder_sweep", plan.isoformat())
    wait_for(lambda: NotificationLog.objects.exists() and all_sent(), 60, "the reminders to be sent")
    send_task(env, "reminders.tasks.daily_reminder_sweep", plan.isoformat())
    # Every sweep has run, and every send task a sweep queued has finished.
    wait_for(
        lambda: worker.log_path.read_text().count("daily_reminder_sweep") >= 6 and worker.idle(),
        60,
        "the third sweep and every send it queued to finish",
    )

    emails = received_emails(mail_dir)
    assert sorted(to for to, _ in emails) == EXPECTED_RECIPIENTS
    assert NotificationLog.objects.count() == 6
    assert DigestMessage.objects.filter(sent_at__isnull=False).count() == 3


def test_two_sweeps_in_two_processes_at_once_send_no_duplicate(services_env, plan):
    env, mail_dir = services_env
    env = {**env, "REMINDER_TEST_GATE": ""}
    command = [sys.executable, "manage.py", "send_reminders", "--date", plan.isoformat()]
    runs = [subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=60)[0] for run in runs]

    assert all(run.returncode == 0 for run in runs), outputs
    assert sorted(to for to, _ in received_emails(mail_dir)) == EXPECTED_RECIPIENTS
    assert all_sent()
    sent_counts = sorted(
        int(line.rsplit(" ", 1)[1]) for out in outputs for line in out.splitlines() if "Emails sent" in line
    )
    assert sum(sent_counts) == 3


def test_a_worker_killed_while_sending_loses_nothing_and_duplicates_nothing(start_worker, services_env, plan, tmp_path):
    env, mail_dir = services_env
    gate = tmp_path / "gate"
    worker = start_worker(name="doomed", REMINDER_TEST_GATE=str(gate))

    send_task(env, "reminders.tasks.daily_reminder_sweep", plan.isoformat())
    wait_for(lambda: list(tmp_path.glob("sending-*")), 60, "the worker to start sending")
    in_flight = list(NotificationLog.objects.filter(status=DeliveryStatus.SENDING).values_list("id", flat=True))
    assert in_flight, "the worker should be in the middle of a send"
    worker.kill()
    assert received_emails(mail_dir) == []

    # Once the broker's visibility timeout has run out, a new worker gets the unacknowledged
    # task back (its periodic look for abandoned tasks puts it on the queue again).
    gate.touch()
    rescuer = start_worker(name="rescuer", REMINDER_TEST_GATE=str(gate))
    wait_for(all_sent, 60, "the rescued reminders to be sent")
    wait_for(rescuer.idle, 30, "the rescuer to finish its tasks")

    assert sorted(to for to, _ in received_emails(mail_dir)) == EXPECTED_RECIPIENTS
    retried = NotificationLog.objects.filter(id__in=in_flight)
    assert set(retried.values_list("attempts", flat=True)) == {2}
    assert NotificationLog.objects.exclude(id__in=in_flight).filter(attempts=1).count() == 6 - len(in_flight)
