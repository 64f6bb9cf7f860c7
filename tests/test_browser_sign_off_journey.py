"""A response plan from draft to verified work, in Chromium, at desktop and phone widths.

The PDU leader drafts the response and actions to a new inspection and submits the plan;
the regional director returns it with a comment; the leader amends and resubmits; the
director approves. The leader then logs progress (choosing a rating: none is chosen for
them), the director challenges, the leader replies, completes the action with evidence,
and the director verifies it from a page that shows the evidence; on the dashboard, a figure
opens the plan filtered to exactly the rows it counts. Every page is checked
with axe-core, every rule (WCAG 2.2 AA and best practice), and no page scrolls sideways.
"""

import datetime as dt
import re

import pytest

from recommendations.models import Action, ActionStatus, Inspection, OrgUnit, PlanState, Recommendation, ResponsePlan
from tests.test_browser_journey import AXE_SOURCE, AXE_VIOLATIONS, browser, demo, small_pdf  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser
DEMO_PASSWORD = "demo-tracker-2026"


@pytest.fixture(params=[1280, 375], ids=["desktop", "phone"])
def page(request, browser, live_server, demo):  # noqa: F811 - the fixtures above
    width = request.param
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.viewport_width = width
    yield page
    context.close()


@pytest.fixture
def new_inspection(demo):  # noqa: F811
    derby = OrgUnit.objects.get(slug="derby-city")
    inspection = Inspection.objects.create(
        unit=derby,
        kind="pdu",
        title="An inspection of probation services: Derby City PDU (2026)",
        published_on=dt.date(2026, 10, 1),
    )
    for number, text in [
        (1, "improve the quality of assessment and planning to keep people safe."),
        (2, "make sure management oversight is effective in every case."),
    ]:
        Recommendation.objects.create(inspection=inspection, number=number, addressed_to=derby, text=text)
    return inspection


def check(page, where: str):
    """No axe-core violations of any rule, and at phone width no sideways scrolling."""
    page.add_script_tag(content=AXE_SOURCE.read_text(encoding="utf-8"))
    violations = page.evaluate(f"() => axe.run(document, {{{AXE_VIOLATIONS}}}).then(result => result.violations)")
    problems = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in violations]
    assert not problems, f"Accessibility problems on {where} ({page.url}):\n" + "\n".join(problems)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{where} scrolls sideways by {overflow}px at {page.viewport_width}px ({page.url})"


def sign_in(page, username: str):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    check(page, "My work")


def click(page, name: str, where: str, *, role="link", exact=False):
    page.get_by_role(role, name=name, exact=exact).first.click()
    page.wait_for_load_state()
    check(page, where)


def sign_out(page):
    # On a phone the navigation, with its Sign out button, folds behind "Menu".
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in/"))


def fill_due_date(page, day: dt.date):
    page.locator("#id_due_date_day").fill(str(day.day))
    page.locator("#id_due_date_month").fill(str(day.month))
    page.locator("#id_due_date_year").fill(str(day.year))


def test_a_plan_from_draft_to_verified_work(page, new_inspection, tmp_path):
    plan_name = "Derby City's response to An inspection of probation services: Derby City PDU (2026)"
    evidence_file = tmp_path / "case-audit.pdf"
    evidence_file.write_bytes(small_pdf())
    due = dt.date.today() + dt.timedelta(days=120)

    # The leader drafts a response and an action for each recommendation, and submits the plan.
    sign_in(page, "derbycity.lead")
    click(page, plan_name, "the draft plan")
    assert page.get_by_text("Not started").first.is_visible()
    for number in (1, 2):
        click(page, f"Change the response to recommendation {number}", "the response form")
        page.get_by_role("radio", name="Agreed", exact=True).check()
        click(page, "Save draft response", "the plan", role="button")
        click(page, f"Add an action to recommendation {number}", "the draft action form")
        page.get_by_label("Action", exact=True).fill(f"Audit 40 cases a quarter against recommendation {number}")
        page.get_by_label("Owner").select_option(label="Hannah Okafor (Derby City)")
        page.get_by_label("How will success be measured?").fill("80% of audited cases meet the standard")
        fill_due_date(page, due)
        click(page, "Save draft action", "the plan", role="button")
    click(page, "Submit for sign-off", "the submit page")
    click(page, "Submit for sign-off", "the submitted plan", role="button")
    assert page.get_by_text("Submitted for sign-off").first.is_visible()
    sign_out(page)

    # The director returns it with a comment.
    sign_in(page, "eastmidlands.director")
    assert page.get_by_text("Waiting for your sign-off").is_visible()
    click(page, plan_name, "the plan awaiting sign-off")
    click(page, "Approve or return the plan", "the sign-off form")
    page.get_by_role("radio", name="No, return it with comments").check()
    page.get_by_label("Comments", exact=True).fill("Action 1 needs a date for the first audit.")
    click(page, "Save decision", "the returned plan", role="button")
    sign_out(page)

    # The leader amends the action and resubmits.
    sign_in(page, "derbycity.lead")
    click(page, plan_name, "the returned plan")
    assert (
        page.locator(".govuk-notification-banner")
        .get_by_text("Action 1 needs a date for the first audit.")
        .is_visible()
    )
    click(page, "Change action 1 of recommendation 1", "the draft action form")
    page.get_by_label("Action", exact=True).fill("Audit 40 cases a quarter, the first in January")
    click(page, "Save draft action", "the plan", role="button")
    click(page, "Resubmit for sign-off", "the submit page")
    click(page, "Submit for sign-off", "the resubmitted plan", role="button")
    sign_out(page)

    # The director approves: the actions go live.
    sign_in(page, "eastmidlands.director")
    click(page, plan_name, "the plan awaiting sign-off")
    click(page, "Approve or return the plan", "the sign-off form")
    page.get_by_role("radio", name="Yes, approve the plan").check()
    click(page, "Save decision", "the approved plan", role="button")
    plan = ResponsePlan.objects.get(inspection=new_inspection)
    assert plan.state == PlanState.APPROVED
    assert page.get_by_text(f"{plan.approved_at:%-d %B %Y} by").is_visible()
    action = Action.objects.get(recommendation__inspection=new_inspection, recommendation__number=1)
    assert action.description == "Audit 40 cases a quarter, the first in January"
    assert Action.objects.live().filter(pk=action.pk).exists()
    sign_out(page)

    # The leader logs progress: no rating is chosen for them.
    sign_in(page, "derbycity.lead")
    page.goto(f"/actions/{action.pk}/")
    check(page, "the action page")
    click(page, "Log progress", "the progress form")
    assert page.locator('input[name="rag"]:checked').count() == 0
    assert page.get_by_text("RAG from dates and evidence").is_visible()
    page.get_by_label("What has been done since the last update?").fill("The first audit of 40 cases is booked.")
    page.get_by_role("radio", name="In progress").check()
    page.get_by_role("radio", name="Amber").check()
    click(page, "Save update", "the action page", role="button")
    sign_out(page)

    # The director challenges it.
    sign_in(page, "eastmidlands.director")
    page.goto(f"/actions/{action.pk}/")
    click(page, "Challenge", "the challenge form", exact=True)
    page.get_by_label("Your challenge").fill("Who will do the audit, and with what tool?")
    click(page, "Send challenge", "the action page", role="button")
    sign_out(page)

    # The leader replies from My work, adds evidence and completes the action.
    sign_in(page, "derbycity.lead")
    assert page.get_by_text("Who will do the audit, and with what tool?").is_visible()
    # The demo has a challenge of its own waiting: reply to this one.
    challenge = page.locator("li", has_text="Who will do the audit, and with what tool?")
    challenge.get_by_role("link", name="Reply to the challenge from Rachel Whitworth").click()
    page.wait_for_load_state()
    check(page, "the reply form")
    page.get_by_label("Your reply").fill("The SPOs, with the HMIP case assessment tool.")
    click(page, "Send reply", "the action page", role="button")
    timeline = page.locator(".moj-timeline").first
    assert timeline.get_by_role("heading", name="Challenge").is_visible()
    assert timeline.get_by_role("heading", name="Reply").is_visible()
    click(page, "Add evidence", "the evidence form")
    page.get_by_label("Title").fill("Case audit, January")
    page.get_by_label("Upload a file").set_input_files(str(evidence_file))
    click(page, "Add evidence", "the action page", role="button")
    click(page, "Mark complete", "the completion form")
    page.get_by_label("Closing update").fill("All 40 cases audited; 82% meet the standard.")
    click(page, "Mark complete", "the completed action", role="button")
    sign_out(page)

    # The director verifies it from a page that shows the evidence.
    sign_in(page, "eastmidlands.director")
    page.goto(f"/actions/{action.pk}/")
    click(page, "Verify", "the verify page", exact=True)
    assert page.get_by_role("link", name="Case audit, January").is_visible()
    assert page.get_by_text("All 40 cases audited; 82% meet the standard.").is_visible()
    assert page.get_by_text("80% of audited cases meet the standard").is_visible()
    click(page, "Verify", "the verified action", role="button", exact=True)
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED

    # From the dashboard, a figure opens exactly the rows it counts.
    page.goto("/dashboards/")
    check(page, "the regional dashboard")
    # The region's headline figure: every verified action of its units, the one just verified among them.
    figure = page.get_by_role("link", name=re.compile(r"^\d+ verified actions of East Midlands$")).first
    counted = int(re.match(r"\d+", figure.inner_text()).group())
    in_region = Action.objects.filter(unit__in=OrgUnit.objects.in_region(plan.unit.region).current())
    assert counted == in_region.filter(status=ActionStatus.VERIFIED).count()
    figure.click()
    page.wait_for_load_state()
    check(page, "the plan rows a dashboard figure counts")
    rows = page.locator("main table tbody tr")
    assert rows.count() == counted
    assert rows.get_by_role("link", name="Audit 40 cases a quarter, the first in January").is_visible()
