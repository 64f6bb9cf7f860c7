"""A PDU leader completes an action with evidence; their director finds it in the plan and verifies it.

Drives Debian's Chromium through Playwright against a live server with the published
inspections and the demo users. Every page on the way is checked with axe-core for
WCAG 2.2 AA failures, and the first Tab on each page must reach the skip link.
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from pypdf import PdfWriter

from recommendations.models import Action, ActionStatus
from tests.conftest import skip_or_fail

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# (reading the demo data) are safe here because the live server has its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "demo-tracker-2026"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Only the violations are wanted: axe then skips describing every element that passed, which
# took most of its time on a long page, and the answer crossing back from Chromium is small.
AXE_VIOLATIONS = "resultTypes: ['violations']"
AXE_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


# One Chromium for each browser test module: starting it takes a second or two. Each test
# still has a context of its own (cookies, storage), as a new visitor would.
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        skip_or_fail(f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    if not AXE_SOURCE.exists():
        skip_or_fail(f"axe-core is not installed at {AXE_SOURCE} (npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo(transactional_db):
    call_command("loaddata", "inspections", "demo", verbosity=0)


@pytest.fixture
def page(browser, live_server, demo):
    # The service's Content-Security-Policy rightly refuses inline scripts; the test lifts it
    # for its own browser only, so that axe-core can be injected into each page.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def small_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Risk of harm training attendance, October 2026"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def check_page(page, where: str):
    """No axe-core violations at WCAG 2.2 AA, and the first Tab reaches the skip link."""
    page.add_script_tag(content=AXE_SOURCE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        f"tags => axe.run(document, {{runOnly: {{type: 'tag', values: tags}}, {AXE_VIOLATIONS}}})"
        ".then(result => result.violations)",
        AXE_TAGS,
    )
    problems = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in violations]
    assert not problems, f"Accessibility problems on {where} ({page.url}):\n" + "\n".join(problems)

    # A fresh load, so that the keyboard starts from the top of the page as a visitor's does.
    page.goto(page.url)
    main_top = "() => document.querySelector('main').getBoundingClientRect().top"
    before = page.evaluate(main_top)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({cls: document.activeElement.className, text: document.activeElement.textContent.trim()})"
    )
    assert "govuk-skip-link" in focused["cls"], f"First Tab on {where} went to {focused}"
    assert focused["text"] == "Skip to main content"
    assert page.locator(".govuk-skip-link").is_visible()
    # Showing the skip link must not move the page: the next click would land elsewhere.
    assert page.evaluate(main_top) == before, f"Focusing the skip link moved the page on {where}"


def sign_in(page, username: str):
    page.goto("/sign-in/")
    check_page(page, "the sign-in page")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_text("Signed in as").is_visible()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in/"))


def figure(page, name: str) -> int:
    # The figure's text begins with the number (a link, with what it counts for screen readers).
    return int(re.match(r"\d+", page.locator(f'[data-figure="{name}"]').inner_text().strip()).group())


def test_leader_completes_an_action_and_director_verifies_it(page, tmp_path):
    action = (
        Action.objects.filter(
            unit__slug="derby-city", status=ActionStatus.IN_PROGRESS, owner__username="derbycity.lead"
        )
        .order_by("due_date", "pk")
        .first()
    )
    assert action is not None, "the demo data has an in-progress Derby City action owned by derbycity.lead"
    evidence_file = tmp_path / "training-attendance.pdf"
    evidence_file.write_bytes(small_pdf())

    # The PDU leader opens the action from the action plan.
    sign_in(page, "derbycity.lead")
    page.goto("/plan/")
    check_page(page, "the action plan")
    page.get_by_role("link", name=re.compile(re.escape(action.description[:40]))).first.click()
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))
    check_page(page, "the action page")

    # Log progress.
    page.get_by_role("link", name="Log progress").click()
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/progress/$"))
    check_page(page, "the log progress page")
    page.get_by_label("What has been done since the last update?").fill(
        "All practitioners attended the risk of harm training; the first case audit is under way."
    )
    page.get_by_role("radio", name="In progress").check()
    page.get_by_role("radio", name="Green").check()
    page.get_by_role("button", name="Save update").click()
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))
    assert page.get_by_text("the first case audit is under way").first.is_visible()

    # Upload a PDF as evidence.
    page.get_by_role("link", name="Add evidence").click()
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/evidence/new/$"))
    check_page(page, "the add evidence page")
    page.get_by_label("Title").fill("Training attendance register")
    page.get_by_label("Upload a file").set_input_files(str(evidence_file))
    page.get_by_role("button", name="Add evidence").click()
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))
    assert page.get_by_role("link", name="Training attendance register", exact=True).is_visible()

    # Mark it complete.
    page.get_by_role("link", name="Mark complete").click()
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/complete/$"))
    check_page(page, "the mark complete page")
    page.get_by_label("Closing update").fill(
        "Training delivered to every practitioner; the audit shows risk assessments now address other people's safety."
    )
    page.get_by_role("button", name="Mark complete").click()
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))
    check_page(page, "the completed action")
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED
    sign_out(page)

    # The director notes the region's figures, finds the action with a filter and verifies it.
    sign_in(page, "eastmidlands.director")
    page.goto("/dashboards/region/east-midlands/")
    check_page(page, "the regional dashboard")
    verified_before = figure(page, "verified")
    awaiting_before = figure(page, "awaiting-verification")

    page.goto("/plan/")
    page.get_by_label("Unit responsible").select_option(value="derby-city")
    page.get_by_role("checkbox", name="Completed – awaiting verification").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"status=completed"))
    check_page(page, "the filtered action plan")
    assert page.locator(".moj-filter__tag", has_text="Derby City").is_visible()
    row_link = page.get_by_role("link", name=re.compile(re.escape(action.description[:40])))
    assert row_link.count() == 1
    row_link.click()
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))

    page.get_by_role("link", name="Verify").click()
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/verify/$"))
    check_page(page, "the verify page")
    page.get_by_label("Comment (optional)").fill("The attendance register and audit show the action is done.")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED

    page.goto("/dashboards/region/east-midlands/")
    assert figure(page, "verified") == verified_before + 1
    assert figure(page, "awaiting-verification") == awaiting_before - 1
