"""SIGTERM, as Kubernetes sends it to a pod being replaced, loses nothing in flight.

Gunicorn's master gets SIGTERM half-way through an evidence upload: the upload finishes,
is recorded and stored, and the server then exits cleanly. A Celery worker gets SIGTERM
in the middle of sending a reminder email: it finishes that email, hands the tasks it had
not started back to the queue, and the next worker sends them; each email goes once.
"""

import http.client
import os
import signal
import time
import uuid

import pytest
import requests

from recommendations.models import Action, Evidence
from tests import evidence_samples as samples
from tests.factories import TEST_PASSWORD, ActionFactory, PDUFactory, RecommendationFactory, UserFactory
from tests.processes import RedisServer, wait_until
from tests.test_reminders_worker import EXPECTED_RECIPIENTS, all_sent, received_emails, send_task, wait_for
from tests.test_reminders_worker import plan as plan  # noqa: PLC0414 - fixtures, used by name
from tests.test_reminders_worker import services_env as services_env  # noqa: PLC0414
from tests.test_reminders_worker import start_worker as start_worker  # noqa: PLC0414
from tests.web_processes import Browser, production_env, require_postgresql, start_web

pytestmark = [pytest.mark.needs_services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def web(tmp_path, moto_s3):
    require_postgresql()
    redis_server = RedisServer(tmp_path / "redis")
    bucket = moto_s3.create_bucket(f"shutdown-{uuid.uuid4().hex[:12]}")
    env = production_env(redis_url=redis_server.url, s3_env=moto_s3.env(bucket), GUNICORN_GRACEFUL_TIMEOUT="30")
    server = start_web(tmp_path / "web", env)
    yield server, bucket
    server.stop()
    redis_server.stop()


def test_gunicorn_finishes_an_upload_in_progress_when_told_to_stop(web, moto_s3):
    server, bucket = web
    leader = UserFactory(username="derby.lead", unit=PDUFactory(name="Derby City PDU"))
    action = ActionFactory(
        recommendation=RecommendationFactory(inspection__unit=leader.unit), unit=leader.unit, owner=leader
    )
    browser = Browser()
    browser.sign_in(server.url, "derby.lead", TEST_PASSWORD)
    add_url = f"{server.url}/actions/{action.pk}/evidence/new/"
    token = browser.form_token(add_url)
    fields = {
        "csrfmiddlewaretoken": token,
        "version": str(Action.objects.get(pk=action.pk).version),
        "title": "Uploaded while the pod was stopping",
    }
    upload = samples.PDF + b"\n%" + b"x" * (2 * 1024 * 1024)  # big enough to be sent in pieces
    prepared = requests.Request(
        "POST", add_url, data=fields, files={"file": ("audit.pdf", upload, "application/pdf")}
    ).prepare()
    body = prepared.body

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.putrequest("POST", add_url.removeprefix(server.url))
    headers = {**browser._headers({"Referer": add_url}), "Content-Type": prepared.headers["Content-Type"]}
    headers["Content-Length"] = str(len(body))
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    half = len(body) // 2
    connection.send(body[:half])
    time.sleep(0.5)  # the request is in the worker's hands, reading its body

    os.kill(server.process.pid, signal.SIGTERM)  # the master only, as the kubelet signals PID 1
    time.sleep(1)
    connection.send(body[half:])
    response = connection.getresponse()
    assert response.status == 302, response.read()[:2000]
    connection.close()

    evidence = Evidence.objects.get(title="Uploaded while the pod was stopping")
    stored = moto_s3.client().get_object(Bucket=bucket, Key=evidence.file.name)["Body"].read()
    assert stored == upload
    server.process.wait(timeout=40)
    assert server.process.returncode == 0
    assert "Handling signal: term" in server.log()


def test_a_worker_told_to_stop_mid_send_finishes_it_and_the_rest_are_sent_once(
    start_worker, services_env, plan, tmp_path
):
    env, mail_dir = services_env
    gate = tmp_path / "gate"
    worker = start_worker(name="stopping", REMINDER_TEST_GATE=str(gate))

    send_task(env, "reminders.tasks.daily_reminder_sweep", plan.isoformat())
    wait_for(lambda: list(tmp_path.glob("sending-*")), 60, "the worker to start sending")

    os.kill(worker.process.pid, signal.SIGTERM)  # warm shutdown: the send in progress is finished
    time.sleep(1)
    assert worker.process.poll() is None, "the worker waits for its task"
    gate.touch()
    worker.process.wait(timeout=60)
    first = received_emails(mail_dir)
    assert len(first) == 1, "the email being sent when the signal came was finished"
    assert "Warm shutdown" in worker.log_path.read_text()

    # The digests it had not started went back to the queue: the next worker sends them.
    successor = start_worker(name="successor", REMINDER_TEST_GATE=str(gate))
    wait_for(all_sent, 90, "the remaining reminders to be sent")
    wait_until(successor.idle, timeout=30, what="the successor to finish")
    assert sorted(to for to, _ in received_emails(mail_dir)) == EXPECTED_RECIPIENTS
