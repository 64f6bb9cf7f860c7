"""Production logs are JSON lines on stdout carrying the request id; errors reach Sentry without personal data.

A real gunicorn in production mode, whose database is a port where nothing listens (so a
page that needs it fails), and a small HTTP server on a loopback port standing in for
Sentry's ingestion endpoint: what the SDK sends there is what Sentry would receive.
"""

import gzip
import json
import threading
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.processes import Gunicorn, free_port, refused_port, wait_until
from tests.web_processes import SECRET_KEY


class _SentryInbox(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 - the standard library's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def sentry_inbox():
    _SentryInbox.received = []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _SentryInbox)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, _SentryInbox.received
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def web(tmp_path_factory, sentry_inbox):
    tmp_path = tmp_path_factory.mktemp("logs")
    server, _ = sentry_inbox
    with refused_port() as nowhere:
        env = {
            "PATH": "/usr/bin:/bin",
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "BIND_ADDRESS": "127.0.0.1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{nowhere}/nowhere",
            "DATABASE_CONNECT_TIMEOUT": "2",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "SENTRY_DSN": f"http://public-key@127.0.0.1:{server.server_address[1]}/42",
            "SENTRY_ENVIRONMENT": "test",
            "GIT_REF": "abc1234",
        }
        gunicorn = Gunicorn(tmp_path / "web", {**env, "MEDIA_ROOT": str(tmp_path / "media")})
        yield gunicorn
        gunicorn.stop()


def _log_lines(server):
    return [line for line in server.log().splitlines() if line.strip()]


def test_every_log_line_is_json_and_a_requests_lines_share_its_id(web):
    request_id = f"probe-{uuid.uuid4().hex}"
    response = requests.get(web.url + "/no-such-page", headers={"X-Request-ID": request_id}, timeout=30)
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == request_id

    generated = requests.get(web.url + "/also-missing", timeout=30)
    new_id = generated.headers["X-Request-ID"]
    assert len(new_id) == 32 and new_id != request_id

    def both_logged():
        text = web.log()
        return request_id in text and new_id in text

    wait_until(both_logged, timeout=10, what="the requests' log lines")
    records = [json.loads(line) for line in _log_lines(web)]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= record.keys() for record in records)
    ours = [record for record in records if record.get("request_id") == request_id]
    # Django's "Not Found" warning and the request's own line, both with the id.
    assert {record["logger"] for record in ours} >= {"django.request", "log_request_id.middleware"}
    assert any("status=404" in record["message"] for record in ours)
    assert any(record.get("request_id") == new_id for record in records)
    assert any(record["logger"] == "gunicorn.error" for record in records), "gunicorn's own lines are JSON too"
    # The probes (the fixture waited on /ping) are not logged: they would drown the log.
    assert not any("path=/ping" in record["message"] for record in records)


def test_an_error_reaches_sentry_with_its_request_id_and_no_cookie(web, sentry_inbox):
    _, received = sentry_inbox
    request_id = f"failing-{uuid.uuid4().hex}"
    secret_session = "s" * 32
    # Reading a session needs the database, which does not answer: a 500.
    response = requests.get(
        web.url + "/",
        headers={"X-Request-ID": request_id},
        cookies={"sessionid": secret_session},
        timeout=60,
    )
    assert response.status_code == 500

    wait_until(lambda: any(b"OperationalError" in body for body in received), timeout=30, what="Sentry's event")
    envelope = next(body for body in received if b"OperationalError" in body)
    event = json.loads(envelope.splitlines()[2])
    assert event["tags"]["request_id"] == request_id
    assert event["environment"] == "test"
    assert event["release"] == "abc1234"
    assert secret_session.encode() not in envelope
    assert "cookies" not in event.get("request", {})
