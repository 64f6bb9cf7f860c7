"""A real OpenID provider (`oidc-provider`, run by node) for the sign-in tests, and a way through its pages.

`tests/oidc_provider/server.mjs` is the provider's configuration; this module starts it on a
free loopback port (TEST_PORT_RANGE, see tests/processes.py), points the tracker's settings
at it, and stops it afterwards.
"""

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

from tests.conftest import skip_or_fail
from tests.processes import free_port

SERVER = Path(__file__).resolve().parent / "oidc_provider" / "server.mjs"
PACKAGE = Path(__file__).resolve().parent.parent / "node_modules" / "oidc-provider"
CLIENT_ID = "action-plan-tracker"
CLIENT_SECRET = "test-client-secret-for-the-loopback-provider"
AUDIENCE = "https://action-plan-tracker.test"
TRACKER_ROLE = "ROLE_ACTION_PLAN_TRACKER"

HMPPS_ACCOUNTS = {
    "asmith": {
        "user_name": "ASMITH_GEN",
        "user_id": "482913",
        "uuid": "7e1c5a5e-2d0b-4d43-9f0c-2b4f9b1e8a10",
        "name": "Ann Smith",
        "auth_source": "auth",
        "authorities": [TRACKER_ROLE, "ROLE_PROBATION"],
    },
    "bjones": {
        "user_name": "BJONES_GEN",
        "user_id": "482914",
        "name": "Ben Jones",
        "auth_source": "delius",
        "authorities": ["ROLE_PROBATION"],
    },
}
ENTRA_ACCOUNTS = {
    "cdavies": {
        "oid": "5f0e8a33-8c1d-4d3e-a7a1-0b6c9d2e4f11",
        "preferred_username": "carys.davies@justice.example",
        "email": "carys.davies@justice.example",
        "name": "Carys Davies",
        "roles": ["Tracker.User"],
    },
}


class ProviderProcess:
    """One `oidc-provider` process: `mode` is "hmpps" (HMPPS Auth's shape) or "oidc" (Entra ID's)."""

    def __init__(self, *, mode: str, app_urls: list[str], accounts: dict, workdir: Path):
        if shutil.which("node") is None:
            skip_or_fail("node is not installed (apt-get install nodejs)")
        if not PACKAGE.exists():
            skip_or_fail(f"oidc-provider is not installed at {PACKAGE} (npm ci)")
        self.mode = mode
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.accounts = accounts
        config = {
            "port": self.port,
            "mode": mode,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{url}/sign-in/callback/" for url in app_urls],
            "post_logout_redirect_uris": [f"{url}/sign-in/" for url in app_urls],
            "audience": AUDIENCE,
            "accounts": accounts,
        }
        config_path = workdir / f"oidc-{mode}.json"
        config_path.write_text(json.dumps(config))
        self.process = subprocess.Popen(  # noqa: S603, S607
            ["node", str(SERVER), str(config_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline()
        if line.strip() != "listening":
            self.stop()
            raise RuntimeError(f"The OpenID provider did not start: {line!r}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def variables(self) -> dict:
        """The tracker's settings for signing in with this provider."""
        if self.mode == "hmpps":
            return {
                "SIGN_IN_PROVIDER": "hmpps-auth",
                "HMPPS_AUTH_URL": f"{self.base}/auth",
                "HMPPS_AUTH_ISSUER": f"{self.base}/auth/issuer",
                "HMPPS_AUTH_CLIENT_ID": CLIENT_ID,
                "HMPPS_AUTH_CLIENT_SECRET": CLIENT_SECRET,
                "HMPPS_AUTH_ROLE": TRACKER_ROLE,
                "HMPPS_AUTH_AUDIENCE": AUDIENCE,
            }
        return {
            "SIGN_IN_PROVIDER": "entra",
            "ENTRA_ISSUER_URL": self.base,
            "ENTRA_CLIENT_ID": CLIENT_ID,
            "ENTRA_CLIENT_SECRET": CLIENT_SECRET,
            "ENTRA_ROLE": "Tracker.User",
        }

    def settings_for(self, settings):
        """Point the tracker at this provider (pytest-django's `settings` fixture)."""
        for name, value in self.variables().items():
            setattr(settings, name, value)

    def control(self, path: str, **kwargs):
        response = requests.post(f"{self.base}/__test__/{path}", timeout=10, **kwargs)
        response.raise_for_status()
        return response.json()

    def rotate_keys(self):
        return self.control("rotate")

    def tamper_with_next_token(self, mode: str):
        self.control("tamper", params={"mode": mode})

    def set_account(self, account_id: str, **claims):
        self.accounts[account_id] = {**self.accounts[account_id], **claims}
        self.control("accounts", json={account_id: self.accounts[account_id]})


class ProviderPages:
    """Goes through the provider's own sign-in, consent and sign-out pages as a browser would,
    with requests (its cookies are the provider's session), stopping at the tracker's address."""

    def __init__(self, app_url: str = "http://testserver"):
        self.app_url = app_url
        self.http = requests.Session()

    def _form(self, html: str, page_url: str) -> tuple[str, dict]:
        action = unescape(re.search(r'<form[^>]*action="([^"]*)"', html).group(1))
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
        return urljoin(page_url, action), fields

    def follow(self, url: str, *, login: str | None = None, method: str = "GET", data=None) -> str:
        """Follow the provider's redirects and pages until it sends the browser back to the tracker."""
        for _ in range(20):
            if url.startswith(self.app_url):
                return url
            response = self.http.request(method, url, data=data, allow_redirects=False, timeout=10)
            method, data = "GET", None
            if response.is_redirect:
                url = urljoin(url, response.headers["Location"])
                continue
            html = response.text
            if response.status_code != 200 or "<form" not in html:
                raise AssertionError(f"The provider answered {response.status_code}: {html[:500]}")
            action, fields = self._form(html, url)
            if 'name="login"' in html:
                fields.update(login=login, password="any password")
            elif "op.logoutForm" in html:
                fields["logout"] = "yes"
            url, method, data = action, "POST", fields
        raise AssertionError("The provider never sent the browser back to the tracker")

    @staticmethod
    def path_of(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.path}?{parts.query}" if parts.query else parts.path


def main():
    """`python -m tests.oidc_server hmpps|oidc [TRACKER_URL]`: a provider to sign in to by hand.

    Prints the variables to export before `scripts/run`, then serves until Ctrl-C. Its
    people: asmith (has the service's role), bjones (has not) for HMPPS Auth; cdavies for Entra ID.
    """
    import sys
    import tempfile

    mode = sys.argv[1] if len(sys.argv) > 1 else "hmpps"
    app_url = sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8000"
    accounts = HMPPS_ACCOUNTS if mode == "hmpps" else ENTRA_ACCOUNTS
    with tempfile.TemporaryDirectory() as workdir:
        provider = ProviderProcess(mode=mode, app_urls=[app_url], accounts=accounts, workdir=Path(workdir))
        # The demo's admin signs in with a password, as a break-glass administrator, to give access.
        variables = {**provider.variables(), "BREAK_GLASS_USERNAMES": "admin"}
        print("export " + " ".join(f"{name}={value}" for name, value in variables.items()))
        print(f"Sign in as any of: {', '.join(accounts)} (any password). Ctrl-C to stop.", flush=True)
        try:
            provider.process.wait()
        except KeyboardInterrupt:
            pass
        finally:
            provider.stop()


if __name__ == "__main__":
    main()
