"""The security settings a production deployment gets (DEBUG=0), read from a fresh interpreter.

Settings are computed once at import, so the test process (DEBUG on) cannot simply
flip DEBUG: a subprocess imports tracker.settings with production variables and
reports the values, which tests then apply with pytest-django's `settings` fixture.
"""

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "prod-" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0" * 2,
    "ALLOWED_HOSTS": "tracker.example",
}
SECURITY_SETTINGS = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_AGE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "ALLOWED_HOSTS",
]


@functools.cache
def production_security_settings() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="tracker.settings")
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    if values["SECURE_PROXY_SSL_HEADER"] is not None:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def apply_production_settings(settings) -> dict:
    """Give the test process the production security settings (DEBUG stays as the test runner has it)."""
    values = production_security_settings()
    for name, value in values.items():
        if name != "DEBUG":
            setattr(settings, name, value)
    # The test client's host name, beside the production one.
    settings.ALLOWED_HOSTS = [*values["ALLOWED_HOSTS"], "testserver"]
    return values
