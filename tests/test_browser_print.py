"""Printing from the browser: a response plan puts each recommendation on a new page, and the
action plan prints every column, with no navigation or filters.

Chromium (Debian's, through Playwright) prints each page to PDF as a person's browser would
(print media); pypdf reads the pages back.
"""

import io
import re

import pytest
from django.db.models import Count
from pypdf import PdfReader

from recommendations.models import Inspection, User
from recommendations.plan_columns import choose_plan_columns
from tests.test_browser_journey import browser, demo  # noqa: F401 - fixtures
from tests.test_browser_journey import page as desktop_page
from tests.test_browser_sign_off_journey import sign_in

pytestmark = pytest.mark.browser
page = desktop_page  # a fixture: a desktop browser on the live server with the demo data


def printed_pages(browser_page) -> list[str]:
    """The page as printed (A4, print media), one text per sheet."""
    reader = PdfReader(io.BytesIO(browser_page.pdf(format="A4", print_background=False)))
    return [" ".join(sheet.extract_text().split()) for sheet in reader.pages]


def test_a_response_plan_prints_each_recommendation_from_a_new_page(page):
    inspection = (
        Inspection.objects.filter(recommendations__addressed_to__slug="derby-city")
        .annotate(addressed=Count("recommendations"))
        .filter(addressed__gte=3)
        .order_by("-published_on")
        .first()
    )
    labels = [
        f"Recommendation {n}"
        for n in inspection.recommendations.filter(addressed_to__slug="derby-city")
        .order_by("number")
        .values_list("number", flat=True)
    ]
    sign_in(page, "eastmidlands.director")
    page.goto(f"/plans/{inspection.pk}/derby-city/")

    page.emulate_media(media="print")
    groups = page.locator("section.app-plan-recommendation")
    assert groups.count() == len(labels)
    breaks = groups.evaluate_all("sections => sections.map(s => getComputedStyle(s).breakBefore)")
    assert breaks == ["auto", *["page"] * (len(labels) - 1)]
    assert page.locator(".govuk-header").is_hidden() and page.locator(".govuk-service-navigation").is_hidden()

    sheets = printed_pages(page)
    starts = [next(i for i, text in enumerate(sheets) if label in text) for label in labels]
    assert starts == sorted(starts) and len(set(starts)) == len(labels), starts
    for label, start in zip(labels[1:], starts[1:], strict=True):
        assert sheets[start].startswith(label), f"{label} does not start page {start + 1}: {sheets[start][:80]}"
    assert not any("Sign out" in text for text in sheets)


def test_the_action_plan_prints_every_column_without_navigation_or_filters(page):
    director = User.objects.get(username="eastmidlands.director")
    choose_plan_columns(user=director, columns=["owner", "status"])  # the RAG columns hidden on screen
    sign_in(page, "eastmidlands.director")
    page.goto("/plan/")

    derived = page.get_by_role("columnheader", name=re.compile("Derived RAG"))
    assert derived.count() == 0 or derived.is_hidden()
    page.emulate_media(media="print")
    assert page.locator("th", has_text="Derived RAG").first.is_visible()
    assert page.locator(".moj-filter-layout__filter").is_hidden()

    sheets = printed_pages(page)
    assert sheets[0].startswith("Action plan"), f"the first sheet begins: {sheets[0][:80]}"
    for heading in ("Inspection", "Addressed to", "Due date", "Self RAG", "Derived RAG", "Updated", "Evidence"):
        assert heading in sheets[0], f"{heading} is not printed"
    assert not any(words in text for text in sheets for words in ("Apply filters", "Choose columns", "Sign out"))
