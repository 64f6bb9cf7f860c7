"""The report import on documents made in the tests from the published text: as PDF and HTML,
wrapped differently, with page furniture between recommendations, naming a unit the database
does not know, without key questions. Each gives the right result or a clear "could not find"."""

import io
import re
import textwrap

import pytest
from pypdf import PdfWriter

from recommendations.models import Inspection, OrgUnit
from recommendations.report_import.loading import ReportImportError, load_report, plan_report_import
from recommendations.report_import.preview import plan_preview, preview_text
from tests.report_documents import text_to_html, text_to_pdf
from tests.report_import_world import fixture_records, load_fixture_units, seed_bytes
from tests.test_report_import_seeds import (
    DERBY_CITY,
    DERBYSHIRE,
    DERBYSHIRE_2016,
    PUBLISHED,
    REGIONAL_LETTER,
    assert_matches_fixture,
)


@pytest.fixture
def units(db, tmp_path):
    load_fixture_units(tmp_path)


def seed_text(filename):
    return seed_bytes(filename).decode("utf-8")


def load(data, filename, *, seed, accept_new_units=False):
    """Import a document made from ``seed``, entering the seed's day of publication."""
    plan = plan_report_import(data, filename, published_on=PUBLISHED[seed])
    assert plan.problems == []
    return plan, load_report(plan=plan, accept_new_units=accept_new_units)


@pytest.mark.parametrize(
    ("filename", "fixture_pk"), [(DERBY_CITY, 1), (DERBYSHIRE, 2), (DERBYSHIRE_2016, 5), (REGIONAL_LETTER, 3)]
)
def test_a_pdf_made_from_the_report_imports_as_the_text_does(units, filename, fixture_pk):
    _, created = load(text_to_pdf(seed_text(filename)), filename.replace(".txt", ".pdf"), seed=filename)
    title = next(r["title"] for r in fixture_records("inspection") if r["pk"] == fixture_pk)
    inspection = next(i for i in created if i.title == title)
    # Derby City's key-question tables made into a PDF are not all read back: its cover is compared alone.
    assert_matches_fixture(inspection, fixture_pk, cover=filename != DERBY_CITY)
    assert inspection.published_on == PUBLISHED[filename]


def test_an_html_page_of_the_report_imports_as_the_text_does(units):
    _, created = load(text_to_html(seed_text(DERBY_CITY)).encode(), "derby-city.html", seed=DERBY_CITY)
    assert_matches_fixture(created[0], 1)
    assert created[0].key_questions.count() == 14


def test_a_report_wrapped_at_another_width_imports_the_same_recommendations(units):
    rewrapped = "\n".join(
        textwrap.fill(line, width=55) if line.strip() else line for line in seed_text(DERBY_CITY).split("\n")
    )
    _, created = load(rewrapped.encode(), "rewrapped.txt", seed=DERBY_CITY)
    assert_matches_fixture(created[0], 1, cover=False)


def test_page_furniture_between_and_inside_recommendations_is_dropped(units):
    text = seed_text(DERBYSHIRE_2016)
    furniture = "\n\nThe effectiveness of probation work in Derbyshire\n\n{page}\n\n"
    # A running footer on three pages, one of them breaking recommendation 3 in two.
    text = text.replace(
        "so as to increase the likelihood", furniture.format(page=10) + "so as to increase the likelihood"
    )
    text = text.replace(
        "The National Probation Service should:", furniture.format(page=11) + "The National Probation Service should:"
    )
    text = text.replace(
        "2. The arrangements for delivering", furniture.format(page=12) + "2. The arrangements for delivering"
    )
    _, created = load(text.encode(), "furniture.txt", seed=DERBYSHIRE_2016)
    assert_matches_fixture(created[0], 5)


def test_a_pdu_the_database_does_not_know_is_proposed_under_the_reports_region(units):
    text = seed_text(DERBY_CITY).replace("Derby City", "Nottingham City")
    plan = plan_report_import(text.encode(), "nottingham.txt", published_on=PUBLISHED[DERBY_CITY])
    assert [(p.name, p.short_name, p.kind, p.parent.slug) for p in plan.proposals] == [
        ("Nottingham City PDU", "Nottingham City", "pdu", "east-midlands")
    ]
    assert "Nottingham City PDU (new probation delivery unit under Probation Service – East Midlands)" in preview_text(
        plan
    )
    with pytest.raises(ReportImportError, match="do not exist yet"):
        load_report(plan=plan, accept_new_units=False)
    assert Inspection.objects.count() == 0
    created = load_report(plan=plan, accept_new_units=True)
    assert created[0].unit == OrgUnit.objects.get(name="Nottingham City PDU", parent__slug="east-midlands")
    assert created[0].recommendations.filter(addressed_to__slug="nottingham-city").count() == 4


def test_an_addressee_that_cannot_be_placed_is_a_clear_could_not_find(units):
    text = seed_text(DERBY_CITY).replace(
        "HM Prison and Probation Service should:", "The Police and Crime Commissioner should:"
    )
    plan = plan_report_import(text.encode(), "pcc.txt")
    assert plan.problems == [
        "Could not find the unit “Police and Crime Commissioner” (line 170) and cannot tell where it belongs: "
        "add it in the admin (Organisation units), then import again."
    ]
    with pytest.raises(ReportImportError):
        load_report(plan=plan, accept_new_units=True)
    assert Inspection.objects.count() == 0


def test_a_report_without_key_questions_imports_and_says_it_could_not_find_them(units):
    text = re.sub(r"^\|.*\|$", "", seed_text(DERBYSHIRE), flags=re.MULTILINE)
    text = re.sub(r"^.*\t\d+%$|^Key question\tPercentage 'Yes'$", "", text, flags=re.MULTILINE)
    plan, created = load(text.encode(), "no-key-questions.txt", seed=DERBYSHIRE)
    rows = plan_preview(plan)[0].rows
    assert [row.value for row in rows if row.missing] == ["Could not find the key-question percentages"]
    assert created[0].key_questions.count() == 0
    assert created[0].recommendations.count() == 6


def test_a_document_that_is_not_a_report_is_refused_in_plain_words(units):
    plan = plan_report_import(b"Minutes of the regional meeting\n\nAttendees: ...", "minutes.txt")
    assert plan.problems == [
        "Could not tell what kind of report this is: could not find “An inspection of probation services”, "
        "“Quality & Impact inspection” or a regional letter with annexes on its first page."
    ]


def test_a_report_whose_recommendations_are_missing_says_so(units):
    text = seed_text(DERBY_CITY).replace(" should:", " must:")
    plan = plan_report_import(text.encode(), "no-recommendations.txt")
    assert plan.problems == [
        "Could not find any recommendations: no heading such as “Derby City PDU should:” followed by numbered "
        "recommendations."
    ]


def test_a_pdf_without_text_is_refused_in_plain_words(units):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    scan = io.BytesIO()
    writer.write(scan)
    plan = plan_report_import(scan.getvalue(), "scan.pdf")
    assert plan.problems == ["The PDF has no text to read: it may be a scan. Upload the report's text or HTML."]
