"""Production settings refuse insecure defaults; development ones start on their own."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _check(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")}
    env.update(env_overrides)
    env["DATABASE_URL"] = "sqlite:///:memory:"
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "too-short"}, "SECRET_KEY is insecure"),
        ({"DEBUG": "0", "SECRET_KEY": "django-insecure-" + "x" * 60}, "SECRET_KEY is insecure"),
    ],
)
def test_production_refuses_insecure_secret_key(env, message):
    result = _check(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_a_strong_key():
    result = _check({"DEBUG": "0", "SECRET_KEY": "k3y-" + "a1B2c3D4e5" * 6, "ALLOWED_HOSTS": "tracker.example"})
    assert result.returncode == 0, result.stderr


def test_development_starts_with_no_configuration():
    result = _check({})
    assert result.returncode == 0, result.stderr
