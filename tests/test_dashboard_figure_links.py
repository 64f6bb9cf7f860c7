"""Every figure on both dashboards is a link, and the page it opens lists exactly that many rows.

A region with two PDUs, its own recommendation, a dissolved CRC whose work it took over, a
second region and HMPPS hold actions in every status (overdue, red, amber and green among
them), a recommendation done and recommendations with no action yet. Each dashboard is read
by the user it is for; every count on it (summary cards, each row's figures, the totals,
each inspection's figures, readiness, superseded bodies, needs attention) must be a link,
and following it must list as many rows as the figure says, on one page.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from recommendations.models import ActionStatus
from tests.factories import (
    ActionFactory,
    DirectorFactory,
    InspectionFactory,
    NationalViewerFactory,
    PDUFactory,
    RecommendationFactory,
    RegionFactory,
)
from tests.reporting_world import build_world
from tests.test_dashboards_explain import _frozen_clock  # noqa: F401 - autouse: 15 January 2026

pytestmark = pytest.mark.django_db

EAST_MIDLANDS = reverse("recommendations:regional_dashboard", args=["east-midlands"])
NATIONAL = reverse("recommendations:national_dashboard")
LISTS = (reverse("recommendations:action_plan"), reverse("recommendations:recommendation_list"))


@pytest.fixture
def world():
    world = build_world()
    now = timezone.now()
    completed = {"completed_at": now, "completed_by": world.director}
    verified = completed | {"verified_at": now, "verified_by": world.director}
    # Derbyshire: one recommendation done (verified and cancelled), one awaiting verification.
    done = RecommendationFactory(inspection=world.derbyshire_2025, number=3, text="Train every SPO.")
    ActionFactory(recommendation=done, status=ActionStatus.VERIFIED, **verified)
    ActionFactory(recommendation=done, status=ActionStatus.CANCELLED)
    ActionFactory(recommendation=world.shire_r2, status=ActionStatus.COMPLETED, **completed)
    ActionFactory(recommendation=world.shire_r2, status=ActionStatus.BLOCKED, due_date=dt.date(2026, 1, 20))
    # The dissolved CRC: a recommendation of its own with an overdue action, and one with none.
    crc = RecommendationFactory(inspection=world.derby_2023, number=9, addressed_to=world.crc, text="CRC caseloads.")
    ActionFactory(recommendation=crc, start_date=None, original_due_date=dt.date(2025, 6, 30))
    RecommendationFactory(inspection=world.derby_2023, number=10, addressed_to=world.crc, text="CRC staffing.")
    # HMPPS answers its recommendation; another region has a PDU with an overdue action.
    ActionFactory(
        recommendation=world.derby_r8, unit=world.hmpps, start_date=None, original_due_date=dt.date(2025, 11, 30)
    )
    # HMPPS's own inspection: counted outside every region (its action on Derby City's is East Midlands').
    national = RecommendationFactory(inspection=InspectionFactory(unit=world.hmpps), number=1, addressed_to=world.hmpps)
    ActionFactory(recommendation=national, unit=world.hmpps, status=ActionStatus.NOT_STARTED)
    wales = RegionFactory(name="Probation Service – Wales", short_name="Wales", slug="wales")
    cardiff = PDUFactory(name="Cardiff PDU", short_name="Cardiff", slug="cardiff", parent=wales)
    DirectorFactory(unit=wales)
    cardiff_rec = RecommendationFactory(inspection=InspectionFactory(unit=cardiff), number=1)
    ActionFactory(recommendation=cardiff_rec, start_date=None, original_due_date=dt.date(2025, 12, 1))
    ActionFactory(recommendation=cardiff_rec, status=ActionStatus.NOT_STARTED, original_due_date=dt.date(2026, 12, 1))
    RecommendationFactory(inspection=cardiff_rec.inspection, number=2)
    world.national_viewer = NationalViewerFactory(unit=world.hmpps)
    return world


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _figures(page) -> list[tuple[int, str, str]]:
    """(figure, what it counts, address) of every link on the page that opens a list of rows."""
    found = []
    for link in page.xpath("//main//a[@href]"):
        href = link.get("href")
        counted = re.match(r"(\d+)\s*(.*)", _text(link))
        if href.split("?")[0] in LISTS and counted:
            found.append((int(counted.group(1)), counted.group(2), href))
    return found


def _unlinked_figures(page) -> list[str]:
    """Numbers on the dashboard's figure tables and cards that are not links (percentages aside).

    "Progress over time", below them, is history (counts by month), not rows of today's plan.
    """
    numeric = "contains(@class, 'govuk-table__cell--numeric') or contains(@class, 'govuk-table__header--numeric')"
    history = "preceding::h2[normalize-space() = 'Progress over time']"
    cells = page.xpath(f"//main//*[{numeric}][not(self::th[@scope='col'])][not({history})] | //main//*[@data-figure]")
    return [
        _text(cell)
        for cell in cells
        if re.match(r"\d", _text(cell)) and not _text(cell).endswith("%") and not cell.xpath(".//a")
    ]


def _rows_listed(client, address) -> int:
    """The rows the page at `address` lists: actions and recommendations, all on this one page."""
    response = client.get(address)
    assert response.status_code == 200, address
    page = lxml_html.fromstring(response.content.decode())
    assert not page.xpath("//main//*[contains(@class, 'govuk-error-summary')]"), f"{address} has filter errors"
    assert not page.xpath("//main//nav[contains(@class, 'govuk-pagination')]"), f"{address} has more pages"
    rows = page.xpath("//main//table/tbody/tr[not(td[@colspan])]")
    return len(rows)


def _walk(client, dashboard) -> list[tuple[int, str, str]]:
    response = client.get(dashboard)
    assert response.status_code == 200
    page = lxml_html.fromstring(response.content.decode())
    assert _unlinked_figures(page) == [], f"figures on {dashboard} that are not links"
    figures = _figures(page)
    # Several figures can open the same list (a card and its total): each list is read once.
    listed_at = {address: _rows_listed(client, address) for address in {address for _, _, address in figures}}
    wrong = []
    for figure, what, address in figures:
        listed = listed_at[address]
        if listed != figure:
            wrong.append(f"'{figure} {what}' opens {listed} rows: {address}")
    assert not wrong, "\n".join(wrong)
    return figures


def test_every_figure_on_the_regional_dashboard_opens_exactly_the_rows_it_counts(client, world):
    client.force_login(world.director)
    figures = _walk(client, EAST_MIDLANDS)
    labels = {what for _, what, _ in figures}
    for expected in (
        "overdue actions of East Midlands",  # the summary card and the total
        "actions of Derby City",
        "recommendations done of Derbyshire",
        "red actions of An inspection of probation services in Derbyshire PDU",
        "recommendations of DLNR CRC",
        "actions of DLNR CRC",
    ):
        assert expected in labels
    assert any(figure > 0 for figure, _, _ in figures)
    assert sum(what == "recommendations done of East Midlands" and figure == 1 for figure, what, _ in figures) == 2


def test_every_figure_on_the_national_dashboard_opens_exactly_the_rows_it_counts(client, world):
    client.force_login(world.national_viewer)
    figures = _walk(client, NATIONAL)
    labels = {what for _, what, _ in figures}
    for expected in (
        "overdue actions of every region",
        "actions of East Midlands",
        "overdue actions of Wales",
        "actions of HMPPS and units outside a region",
        "recommendations made before June 2021 to bodies since dissolved",
    ):
        assert expected in labels
    assert (2, "recommendations made before June 2021 to bodies since dissolved") in {
        (figure, what) for figure, what, _ in figures
    }


def test_a_pdu_leaders_part_of_the_regional_dashboard_opens_only_their_rows(client, world):
    client.force_login(world.derbyshire_lead)
    figures = _walk(client, EAST_MIDLANDS)
    assert any(what == "actions of Derbyshire" and figure == 5 for figure, what, _ in figures)
