"""A new member of staff signs in through HMPPS Auth, and through Entra ID, in Debian's Chromium.

A real OpenID provider process (tests/oidc_provider/server.mjs) plays each provider. For each:
sign in through the provider's pages, land on "You do not have access yet", a break-glass
administrator gives a unit and role in the admin, the person then sees only that unit's
actions, and signing out goes through the provider's sign-out, which ends its session too.
"""

import os
import re
from urllib.parse import urlsplit

import pytest

from recommendations.models import Role
from signin.models import ExternalIdentity
from tests.factories import TEST_PASSWORD, ActionFactory, PDUFactory, UserFactory
from tests.oidc_server import ENTRA_ACCOUNTS, HMPPS_ACCOUNTS, ProviderProcess
from tests.test_browser_journey import browser, check_page  # noqa: F401  (the shared Chromium fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

PATHS = {
    "hmpps": ("asmith", "Ann Smith", "HMPPS Auth", HMPPS_ACCOUNTS),
    "oidc": ("cdavies", "Carys Davies", "Microsoft Entra ID", ENTRA_ACCOUNTS),
}


@pytest.fixture(params=sorted(PATHS))
def provider(request, live_server, settings, tmp_path):
    mode = request.param
    process = ProviderProcess(
        mode=mode,
        app_urls=[live_server.url],
        accounts={k: dict(v) for k, v in PATHS[mode][3].items()},
        workdir=tmp_path,
    )
    process.settings_for(settings)
    settings.BREAK_GLASS_USERNAMES = ["glass.admin"]
    yield process
    process.stop()


def new_context(browser, live_server):  # noqa: F811
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    # The provider's stock pages ask for web fonts: nothing may leave this machine.
    loopback = re.compile(r"^https?://(127\.0\.0\.1|localhost)(:\d+)?/")
    context.route("**/*", lambda route: route.continue_() if loopback.match(route.request.url) else route.abort())
    return context


def through_provider(page, login: str, live_server):
    """The provider's own sign-in page, then its consent page the first time."""
    page.locator('input[name="login"]').fill(login)
    page.locator('input[name="password"]').fill("a password the provider checks")
    page.locator('button[type="submit"]').click()
    page.wait_for_load_state()
    if "/interaction/" in page.url:
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile("^" + re.escape(live_server.url)))


@pytest.mark.django_db(transaction=True)
def test_a_new_member_of_staff_signs_in_is_given_a_unit_and_signs_out(browser, live_server, provider):  # noqa: F811
    login, full_name, label, _ = PATHS[provider.mode]
    derby = PDUFactory(name="Derby City PDU", slug="derby-city")
    other = PDUFactory(name="Derbyshire PDU", slug="derbyshire")
    own_action = ActionFactory(unit=derby, description="Train every practitioner in risk of harm assessment.")
    other_action = ActionFactory(unit=other, description="Audit Derbyshire's sentence plans every quarter.")
    UserFactory(
        username="glass.admin",
        email="priya.shah@justice.example",
        role=Role.ADMINISTRATOR,
        unit=None,
        is_staff=True,
        is_superuser=True,
    )

    context = new_context(browser, live_server)
    page = context.new_page()
    page.goto("/plan/")
    assert urlsplit(page.url).path == "/sign-in/"
    check_page(page, "the sign-in page")
    page.get_by_role("button", name=f"Sign in with {label}").click()
    through_provider(page, login, live_server)
    assert page.get_by_role("heading", name="You do not have access yet").is_visible()
    assert page.get_by_role("link", name="priya.shah@justice.example").is_visible()
    check_page(page, "You do not have access yet")
    user = ExternalIdentity.objects.get(provider__in=["hmpps-auth", "entra"]).user
    assert user.get_full_name() == full_name

    # A break-glass administrator finds them among the people waiting and gives them Derby City.
    admin_context = new_context(browser, live_server)
    admin = admin_context.new_page()
    admin.goto("/sign-in/password/")
    admin.get_by_label("Username").fill("glass.admin")
    admin.get_by_label("Password").fill(TEST_PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    admin.goto("/admin/recommendations/user/?access=waiting")
    admin.get_by_role("link", name=user.username).click()
    admin.locator("#id_role").select_option(Role.PDU_LEADER)
    admin.locator(".field-unit .select2-selection").click()
    admin.locator(".select2-search__field").fill("Derby City")
    admin.locator(".select2-results__option", has_text="Derby City PDU").click()
    admin.get_by_role("button", name="Save", exact=True).click()
    # Back to the list of people waiting, which no longer has them.
    admin.wait_for_url(re.compile(r"/admin/recommendations/user/\?access=waiting$"))
    assert admin.get_by_role("link", name=user.username).count() == 0
    admin_context.close()

    # Now they see their unit's actions, and another unit's do not exist for them.
    page.goto("/plan/")
    assert page.get_by_text(own_action.description).first.is_visible()
    assert page.get_by_text(other_action.description).count() == 0
    assert page.goto(f"/actions/{other_action.pk}/").status == 404
    page.goto(f"/actions/{own_action.pk}/")
    assert page.get_by_role("heading", name=re.compile("Train every practitioner")).first.is_visible()

    # Signing out goes through the provider's sign-out and back to the tracker.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(re.compile(re.escape(live_server.url) + "/sign-in/"))
    assert page.get_by_text("You have signed out.").is_visible()
    page.goto("/plan/")
    assert page.url.endswith("/sign-in/?next=/plan/")
    # The provider's session ended too: signing in again asks for the provider's sign-in.
    page.get_by_role("button", name=f"Sign in with {label}").click()
    assert page.locator('input[name="login"]').is_visible()
    context.close()
