"""Every main page, as each role, on a 375 px phone: no sideways scrolling, and axe-core finds nothing.

axe-core runs every rule it enables by default: WCAG 2.2 A and AA and its best practices
(landmarks, heading order and the rest). Uses Debian's Chromium and the demo data, as the
browser journey does.
"""

import pytest
from django.urls import reverse

from recommendations.models import Action, Inspection, OrgUnit, Recommendation
from tests.test_browser_journey import AXE_SOURCE, AXE_VIOLATIONS, DEMO_PASSWORD, browser, demo  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def _main_pages(username):
    """The pages someone in this role works with, on the demo data they can see."""
    action = Action.objects.filter(unit__slug="derby-city").order_by("pk").first()
    recommendation = action.recommendation
    inspection = Inspection.objects.filter(unit__slug="derby-city").order_by("-published_on").first()
    pages = [
        reverse("recommendations:home"),
        reverse("recommendations:action_plan"),
        reverse("recommendations:action_plan") + "?status=in_progress",
        reverse("recommendations:dashboard"),
        reverse("recommendations:inspection_list"),
        reverse("recommendations:inspection_detail", args=[inspection.pk]),
        reverse("recommendations:recommendation_detail", args=[recommendation.pk]),
        reverse("recommendations:action_detail", args=[action.pk]),
        reverse("reporting:index"),
        reverse("reporting:progress", args=["derby-city"]),
        reverse("reporting:themes"),
        reverse("reporting:calendar"),
        reverse("reminders:notifications"),
        reverse("recommendations:accessibility"),
    ]
    if username in ("eastmidlands.director", "hmpps.viewer", "admin"):
        pages.append(reverse("recommendations:regional_dashboard", args=["east-midlands"]))
        pages.append(reverse("recommendations:open_challenges") + "?region=east-midlands")
        legacy = Recommendation.objects.filter(addressed_to__is_legacy=True).order_by("pk").first()
        pages.append(reverse("recommendations:recommendation_detail", args=[legacy.pk]))
    if username in ("hmpps.viewer", "admin"):
        pages.append(reverse("recommendations:national_dashboard"))
    if username in ("derbycity.lead", "eastmidlands.director"):
        pages.append(reverse("recommendations:action_log_progress", args=[action.pk]))
    return pages


# How far the page reaches beyond the window, and which elements stick out.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length)
    .filter(el => !el.closest('.govuk-visually-hidden, .govuk-skip-link'))
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`
      + ` (${Math.round(el.getBoundingClientRect().right)}px)`);
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


@pytest.mark.parametrize("username", ["derbycity.lead", "eastmidlands.director", "hmpps.viewer", "admin"])
def test_every_main_page_fits_a_phone_and_is_axe_clean(browser, live_server, demo, username):  # noqa: F811
    assert OrgUnit.objects.filter(slug="east-midlands").exists()
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, bypass_csp=True, is_mobile=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    problems = []
    axe = AXE_SOURCE.read_text(encoding="utf-8")
    for url in _main_pages(username):
        response = page.goto(url)
        assert response.ok, f"{url} answered {response.status} to {username}"
        layout = page.evaluate(OVERFLOW)
        if layout["scroll"] > layout["width"]:
            problems.append(f"{page.url}: {layout['scroll']}px wide in a {layout['width']}px window: {layout['wide']}")
        page.add_script_tag(content=axe)
        violations = page.evaluate(f"() => axe.run(document, {{{AXE_VIOLATIONS}}}).then(result => result.violations)")
        problems += [
            f"{page.url}: axe {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
        ]
    context.close()
    assert not problems, f"As {username} at 375px:\n" + "\n".join(problems)
