"""Real servers that a test starts on a loopback port of its own and stops: Redis, gunicorn, moto's S3.

Ports come from TEST_PORT_RANGE (default 7500-7599), so that test runs on a shared
machine keep to the range they were given; a port is used only if nothing holds it.
"""

import os
import random
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def _bind_in_range(sock: socket.socket) -> int:
    """Bind `sock` to a free loopback port of TEST_PORT_RANGE, tried in random order; its port."""
    low, high = (int(part) for part in os.environ.get("TEST_PORT_RANGE", "7500-7599").split("-"))
    candidates = list(range(low, high + 1))
    random.shuffle(candidates)
    for port in candidates:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return port
    raise RuntimeError(f"No free port in TEST_PORT_RANGE {low}-{high}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return _bind_in_range(probe)


@contextmanager
def refused_port():
    """A port that refuses every connection for as long as the block lasts: bound here and never
    listened on. A port that free_port merely found free could be taken meanwhile by a server
    another test starts, and a client meant to fail at once would then wait on that server."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        yield _bind_in_range(holder)


def wait_until(
    condition, *, timeout: float, what: str, process: subprocess.Popen | None = None, log: Path | None = None
):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    pytest.fail(f"Timed out after {timeout}s waiting for {what}\n{tail}")


def database_url(connection) -> str:
    """The URL of this test run's database, for a process of its own to use."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Server:
    """A child process in its own process group, with its output in a log file."""

    def __init__(self, command, *, env, cwd, log_path: Path):
        self.log_path = log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - kept open for the process's lifetime
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def signal(self, signum):
        os.killpg(self.process.pid, signum)

    def stop(self, timeout: float = 30):
        if self.process.poll() is None:
            self.signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.signal(signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()


class RedisServer(Server):
    """redis-server from Debian on a port of its own: in memory only, or (`persistent`) keeping
    every write in an append-only file in `folder`, so a server started again there has the keys."""

    def __init__(self, folder: Path, port: int | None = None, *, persistent: bool = False):
        if not Path("/usr/bin/redis-server").exists():
            skip_or_fail("redis-server is not installed (apt-get install redis-server)")
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        folder.mkdir(parents=True, exist_ok=True)
        command = ["/usr/bin/redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""]
        if persistent:
            command += ["--appendonly", "yes", "--appendfsync", "always", "--dir", str(folder)]
        else:
            command += ["--appendonly", "no", "--dir", str(folder)]
        super().__init__(command, env=os.environ.copy(), cwd=folder, log_path=folder / f"redis-{self.port}.log")
        wait_until(self.answers, timeout=20, what="redis-server", process=self.process, log=self.log_path)

    def answers(self) -> bool:
        import redis

        try:
            client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)
            try:
                return client.ping()
            finally:
                client.close()
        except redis.RedisError:
            return False


class Gunicorn(Server):
    """`gunicorn tracker.wsgi` with the project's gunicorn.conf.py, run from a working folder of its own."""

    def __init__(self, folder: Path, env: dict, *, workers: int = 1, extra_args=()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder.mkdir(parents=True, exist_ok=True)
        command = [str(VENV_BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py")]
        command += ["--pythonpath", str(ROOT), "--workers", str(workers), *extra_args, "tracker.wsgi"]
        env = {**env, "PORT": str(self.port), "TMPDIR": str(folder), "PYTHONUNBUFFERED": "1"}
        super().__init__(command, env=env, cwd=folder, log_path=folder / "gunicorn.log")
        wait_until(self.answers, timeout=60, what=f"gunicorn on {self.url}", process=self.process, log=self.log_path)

    def answers(self) -> bool:
        try:
            return requests.get(self.url + "/ping", timeout=1).status_code == 200
        except requests.RequestException:
            return False


class MotoS3(Server):
    """moto in server mode: an S3-compatible endpoint (it emulates S3 in memory) on a loopback port."""

    ACCESS_KEY = "test-access-key"
    SECRET_KEY = "test-secret-key"
    REGION = "eu-west-2"

    def __init__(self, folder: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder.mkdir(parents=True, exist_ok=True)
        command = [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)]
        super().__init__(command, env=os.environ.copy(), cwd=folder, log_path=folder / "moto.log")
        wait_until(self.answers, timeout=60, what="moto's S3 server", process=self.process, log=self.log_path)

    def answers(self) -> bool:
        try:
            return requests.get(self.url + "/moto-api/data.json", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=self.REGION,
            aws_access_key_id=self.ACCESS_KEY,
            aws_secret_access_key=self.SECRET_KEY,
        )

    def create_bucket(self, name: str) -> str:
        """A private bucket with versioning, as the platform's would be."""
        client = self.client()
        client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": self.REGION})
        client.put_public_access_block(
            Bucket=name,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        return name

    def env(self, bucket: str) -> dict:
        """The environment variables that point the service at this server's `bucket`."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.url,
            "AWS_S3_REGION_NAME": self.REGION,
            "AWS_ACCESS_KEY_ID": self.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": self.SECRET_KEY,
            "AWS_S3_ADDRESSING_STYLE": "path",
        }
