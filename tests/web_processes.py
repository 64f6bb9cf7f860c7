"""Production-mode web processes for the multi-process tests, and a client that talks to them over HTTP.

Each gunicorn runs with DEBUG off from a working folder of its own (its own MEDIA_ROOT and
TMPDIR: no shared disk) against this test run's PostgreSQL database, a Redis and an S3
bucket that the test started.
"""

import re
import time

import pytest
import requests
from django.db import connection

from tests.conftest import skip_or_fail
from tests.processes import Gunicorn, database_url

SECRET_KEY = "replicas-" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0" * 2


def require_postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail(
            "The multi-process tests need PostgreSQL (set DATABASE_URL=postgres://…): another process cannot "
            "see the rows of an SQLite test database held in this process's transaction"
        )


def production_env(*, redis_url: str, s3_env: dict, **extra) -> dict:
    return {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "BIND_ADDRESS": "127.0.0.1",
        "DATABASE_URL": database_url(connection),
        "CONN_MAX_AGE": "0",
        "REDIS_URL": redis_url,
        # Static files are not collected for these processes: pages name them unhashed.
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "AXES_ENABLED": "0",
        "LOG_FORMAT": "json",
        **s3_env,
        **extra,
    }


def start_web(folder, env, **kwargs) -> Gunicorn:
    return Gunicorn(folder, {**env, "MEDIA_ROOT": str(folder / "media")}, **kwargs)


class Browser:
    """One person's browser: its cookies go to whichever server it asks (secure cookies included,
    as a browser would send them over the HTTPS that the load balancer ends)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def _headers(self, extra=None):
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return headers

    def _keep_cookies(self, response):
        for cookie in response.cookies:
            if cookie.value in ("", '""') or (cookie.expires is not None and cookie.expires < time.time()):
                self.cookies.pop(cookie.name, None)
            else:
                self.cookies[cookie.name] = cookie.value

    def get(self, url, **kwargs):
        response = requests.get(
            url, headers=self._headers(kwargs.pop("headers", None)), allow_redirects=False, timeout=60, **kwargs
        )
        self._keep_cookies(response)
        return response

    def post(self, url, data, files=None, **kwargs):
        headers = self._headers({"Referer": url, **kwargs.pop("headers", {})})
        response = requests.post(url, data=data, files=files, headers=headers, allow_redirects=False, timeout=60)
        self._keep_cookies(response)
        return response

    def form_token(self, url) -> str:
        page = self.get(url)
        assert page.status_code == 200, (url, page.status_code, page.text[:500])
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def sign_in(self, base_url, username, password):
        token = self.form_token(base_url + "/sign-in/")
        response = self.post(
            base_url + "/sign-in/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        if response.status_code != 302:
            pytest.fail(f"sign-in on {base_url} failed: {response.status_code} {response.text[:1000]}")
        assert "sessionid" in self.cookies
