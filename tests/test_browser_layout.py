"""What the page looks like in a real browser: wide pages widen the whole page, and the skip link does not move it.

Uses Debian's Chromium, the live server and the demo data, as the browser journey does.
"""

import pytest

from tests.test_browser_journey import CHROMIUM_ARGS, DEMO_PASSWORD, browser, demo  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

# The outer boxes a reader sees as the page's columns, top to bottom.
EDGES = """() => {
  const box = selector => {
    const r = document.querySelector(selector).getBoundingClientRect();
    return [Math.round(r.left), Math.round(r.right)];
  };
  return {
    header: box('.govuk-header__container'),
    navigation: box('.govuk-service-navigation .govuk-width-container'),
    phase_banner: box('.govuk-phase-banner'),
    main: box('main'),
    footer: box('.govuk-footer .govuk-width-container'),
  };
}"""


@pytest.fixture
def signed_in(browser, live_server, demo):  # noqa: F811
    contexts = []

    def open_as(username, width):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto("/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    yield open_as
    for context in contexts:  # the browser outlives this test (its module's)
        context.close()


@pytest.mark.parametrize("width", [1280, 1920])
def test_the_wide_action_plan_widens_header_navigation_banner_and_footer_with_it(signed_in, width):
    page = signed_in("eastmidlands.director", width)

    page.goto("/plan/")
    edges = page.evaluate(EDGES)
    assert len(set(map(tuple, edges.values()))) == 1, f"Not aligned at {width}px: {edges}"
    left, right = edges["main"]
    assert (left, right) == (30, width - 30)  # the whole window, less GOV.UK's gutters

    page.goto("/")  # an ordinary page keeps GOV.UK's 960px column, everything still aligned
    edges = page.evaluate(EDGES)
    assert len(set(map(tuple, edges.values()))) == 1, f"Not aligned at {width}px: {edges}"
    left, right = edges["main"]
    assert right - left == 960


def test_the_skip_link_shows_over_the_header_without_moving_the_page(signed_in):
    page = signed_in("derbycity.lead", 1280)
    page.goto("/plan/")
    main_top = "() => document.querySelector('main').getBoundingClientRect().top"
    before = page.evaluate(main_top)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    assert skip_link.evaluate("link => link === document.activeElement")
    box = skip_link.bounding_box()
    assert box["y"] == 0 and box["height"] > 30  # shown, at the top of the window
    assert page.evaluate(main_top) == before

    # A click straight after focusing the skip link lands where it was aimed.
    page.get_by_role("link", name="Dashboard", exact=True).click()
    page.wait_for_url("**/dashboards/region/east-midlands/")


def test_the_action_plans_filter_and_download_buttons_line_up(signed_in):
    page = signed_in("eastmidlands.director", 1920)
    page.goto("/plan/")
    tops = page.evaluate(
        "() => [...document.querySelectorAll('.moj-action-bar .govuk-button')].map(b => b.getBoundingClientRect().top)"
    )
    assert len(tops) == 5  # show/hide filter, CSV, XLSX, PDF, Word
    assert len(set(tops)) == 1, f"The action bar's buttons are not in line: {tops}"


def test_a_dashboards_headline_cards_stand_the_same_height(signed_in):
    page = signed_in("hmpps.viewer", 1280)
    page.goto("/dashboards/national/")
    heights = page.evaluate(
        "() => [...document.querySelectorAll('.app-dashboard-cards .govuk-summary-card')]"
        ".map(card => Math.round(card.getBoundingClientRect().height))"
    )
    assert len(heights) == 4 and len(set(heights)) == 1, heights


def test_at_1280px_with_the_filter_open_the_plan_shows_every_column_and_room_for_the_description(signed_in):
    page = signed_in("eastmidlands.director", 1280)
    page.goto("/plan/")
    assert page.locator(".moj-filter-layout__filter").is_visible()
    pane_right = page.evaluate(
        "() => document.querySelector('.moj-filter-layout__content .moj-scrollable-pane').getBoundingClientRect().right"
    )
    assert pane_right <= 1280
    for heading in ("Self RAG", "Derived RAG", "Updated", "Evidence"):
        box = page.locator("table.app-action-plan thead th", has_text=heading).first.bounding_box()
        assert box["x"] + box["width"] <= pane_right + 1, f"'{heading}' is cut off at 1280px with the filter open"
    # With MoJ's full filter width the descriptions were squeezed to about 125px, four words a line.
    description = page.locator("table.app-action-plan thead th", has_text="Description").first.bounding_box()
    assert description["width"] >= 160
