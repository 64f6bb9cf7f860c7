"""The page layout every page shares: GOV.UK Frontend, CSP-safe scripts, navigation."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client):
    client.force_login(UserFactory())
    return client.get(reverse("recommendations:home"))


def test_body_class_script_carries_the_csp_nonce(page):
    html = page.content.decode()
    assert '<body class="govuk-template__body">' in html
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert len(inline) == 1
    nonce = re.search(r'nonce="([^"]+)"', inline[0]).group(1)
    assert f"'nonce-{nonce}'" in page["Content-Security-Policy"]
    assert "govuk-frontend-supported" in html


def test_components_start_from_a_module_file_and_no_inline_styles(page):
    html = page.content.decode()
    assert '<script type="module" src="/static/js/application.js"></script>' in html
    assert "style=" not in html
    assert "<style" not in html


def test_assets_are_the_precompiled_frontends(page):
    html = page.content.decode()
    assert "/static/govuk/govuk-frontend.min.css" in html
    assert "/static/moj/moj-frontend.min.css" in html


def test_header_navigation_phase_banner_skip_link_and_footer(page):
    html = page.content.decode()
    assert 'href="#main-content"' in html and 'id="main-content"' in html
    assert "Inspection action plan tracker" in html
    assert 'aria-current="page"' in html  # My work is the current page
    assert "govuk-phase-banner" in html and ">Beta<" in html
    assert "Accessibility statement" in html


def test_messages_are_notification_banners(client):
    client.force_login(UserFactory())
    response = client.post(reverse("logout"), follow=True)
    assert "govuk-notification-banner--success" in response.content.decode()


def test_favicon_at_the_site_root_is_the_govuk_icon_for_anyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("govuk/assets/images/favicon.ico")
    assert finders.find("govuk/assets/images/favicon.ico") is not None  # the icon is really there
    assert client.post("/favicon.ico").status_code == 405
