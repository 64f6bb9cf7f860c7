"""Importing each published source document into an empty database gives what the published
fixture (fixtures/inspections.json) holds: every recommendation word for word with its
addressees, the ratings, scores and key-question percentages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from recommendations.models import Inspection, OrgUnit, Recommendation
from recommendations.report_import.loading import ReportImportError, load_report, plan_report_import
from recommendations.report_import.preview import plan_preview
from tests.report_import_world import fixture_records, load_fixture_units, seed_bytes

DERBY_CITY, DERBYSHIRE, PRESS_RELEASE = (
    "000_d51354b6beb8521a.txt",
    "002_04b030c368706142.txt",
    "001_9110ee9a7016bb9f.txt",
)
DERBYSHIRE_2016, REGIONAL_LETTER = "003_d394e03e7355b754.txt", "004_5ed0f05c7870f5b3.txt"


@pytest.fixture
def units(db, tmp_path):
    load_fixture_units(tmp_path)


# The day each document was published, as whoever imports it enters it: each report gives only
# its month, and the letter's face date (09 February 2022) is a misprint its own text contradicts.
# Derby City's day is in its press release (001) and the letter went out with the PDU reports;
# for the other two reports the published fixture records the first of the month.
PUBLISHED = {
    DERBY_CITY: dt.date(2023, 2, 9),
    DERBYSHIRE: dt.date(2025, 5, 1),
    DERBYSHIRE_2016: dt.date(2016, 9, 1),
    REGIONAL_LETTER: dt.date(2023, 2, 9),
}


def import_seed(filename, *, accept_new_units=False):
    asked = plan_report_import(seed_bytes(filename), filename)
    assert asked.problems == [] and asked.needs_publication_date, "the day is asked for, never guessed"
    plan = plan_report_import(seed_bytes(filename), filename, published_on=PUBLISHED[filename])
    assert not plan.needs_publication_date
    return plan, load_report(plan=plan, accept_new_units=accept_new_units)


def unit_slugs():
    return {record["pk"]: record["slug"] for record in fixture_records("orgunit")}


def assert_matches_fixture(inspection, fixture_pk, *, wording=True, cover=True):
    """The imported inspection says what the fixture's inspection ``fixture_pk`` says (``cover``:
    also the dates, lead inspector and key questions, which a letter's annexe does not give)."""
    slugs = unit_slugs()
    expected = next(r for r in fixture_records("inspection") if r["pk"] == fixture_pk)
    assert (inspection.title, inspection.kind, inspection.unit.slug) == (
        expected["title"],
        expected["kind"],
        slugs[expected["unit"]],
    )
    assert (inspection.overall_rating, inspection.score, inspection.score_out_of) == (
        expected["overall_rating"],
        expected["score"],
        expected["score_out_of"],
    )
    if cover:
        assert inspection.lead_inspector == expected["lead_inspector"]
        assert str(inspection.published_on) == expected["published_on"]
        assert [str(d) if d else None for d in (inspection.fieldwork_start, inspection.fieldwork_end)] == [
            expected["fieldwork_start"],
            expected["fieldwork_end"],
        ]

    standards = [r for r in fixture_records("standardrating") if r["inspection"] == fixture_pk]
    assert [(s.domain, s.code, s.name, s.rating) for s in inspection.standard_ratings.order_by("code")] == [
        (s["domain"], s["code"], s["name"], s["rating"]) for s in sorted(standards, key=lambda s: s["code"])
    ]
    codes = {s["pk"]: s["code"] for s in standards}
    questions = [r for r in fixture_records("keyquestionresult") if r["inspection"] == fixture_pk]
    assert not cover or [
        (q.order, q.section, q.question, q.percentage, q.standard.code if q.standard else None)
        for q in inspection.key_questions.select_related("standard")
    ] == [
        (q["order"], q["section"], q["question"], Decimal(q["percentage"]), codes.get(q["standard"]))
        for q in sorted(questions, key=lambda q: q["order"])
    ]

    recommendations = sorted(
        (r for r in fixture_records("recommendation") if r["inspection"] == fixture_pk), key=lambda r: r["number"]
    )
    imported = list(inspection.recommendations.select_related("addressed_to").order_by("number"))
    assert [r.number for r in imported] == [r["number"] for r in recommendations]
    for got, want in zip(imported, recommendations, strict=True):
        assert got.addressed_to.slug == slugs[want["addressed_to"]], got
        assert {u.slug for u in got.addressees.all()} == {slugs[pk] for pk in want["addressees"]}, got
        if wording:
            assert got.text == want["text"], got


def test_the_derby_city_report_imports_as_published(units):
    _, created = import_seed(DERBY_CITY)
    assert len(created) == 1
    assert_matches_fixture(created[0], 1)


def test_the_derbyshire_report_imports_as_published(units):
    _, created = import_seed(DERBYSHIRE)
    assert_matches_fixture(created[0], 2)


def test_the_2016_derbyshire_quality_and_impact_report_imports_as_published(units):
    _, created = import_seed(DERBYSHIRE_2016)
    assert len(created) == 1
    assert_matches_fixture(created[0], 5)
    assert created[0].recommendations.count() == 12


def test_the_regional_letter_gives_the_regions_review_and_one_inspection_per_pdu(units):
    _, created = import_seed(REGIONAL_LETTER)
    by_unit = {inspection.unit.slug: inspection for inspection in created}
    assert set(by_unit) == {"east-midlands", "derby-city", "leicester-leicestershire-rutland"}
    assert_matches_fixture(by_unit["leicester-leicestershire-rutland"], 3, cover=False)
    assert_matches_fixture(by_unit["east-midlands"], 4, cover=False)
    for slug, fixture_pk in (("leicester-leicestershire-rutland", 3), ("east-midlands", 4), ("derby-city", 1)):
        assert str(by_unit[slug].published_on) == fixture_published_on(fixture_pk), slug
    # Annexe one repeats Derby City's recommendations with a few commas of its own.
    assert_matches_fixture(by_unit["derby-city"], 1, wording=False, cover=False)
    assert set(by_unit["east-midlands"].related_inspections.all()) == {
        by_unit["derby-city"],
        by_unit["leicester-leicestershire-rutland"],
    }


def fixture_published_on(fixture_pk):
    return next(r["published_on"] for r in fixture_records("inspection") if r["pk"] == fixture_pk)


def test_a_report_giving_only_its_month_asks_for_the_day_and_never_stores_the_first(units):
    plan = plan_report_import(seed_bytes(DERBYSHIRE), DERBYSHIRE)
    (published,) = [row for row in plan_preview(plan)[0].rows if row.label == "Published"]
    assert published.missing and published.line.text == "HM Inspectorate of Probation, May 2025"
    assert published.value == ("Could not find the day of publication: the report gives only May 2025. Enter the date.")
    with pytest.raises(ReportImportError, match="Could not find the day of publication"):
        load_report(plan=plan, accept_new_units=False)
    assert Inspection.objects.count() == 0


def test_the_letters_misprinted_date_is_not_stored_and_the_day_is_asked_for(units):
    plan = plan_report_import(seed_bytes(REGIONAL_LETTER), REGIONAL_LETTER)
    assert plan.needs_publication_date
    rows = plan_preview(plan)[0].rows
    assert rows[0].label == "Check" and "cannot be the day it was published" in rows[0].value
    assert [row.value for row in rows if row.label == "Published"] == [
        "Could not find the date of publication. Enter the date."
    ]


def test_the_press_release_is_recognised_and_imports_nothing(units):
    plan = plan_report_import(seed_bytes(PRESS_RELEASE), PRESS_RELEASE)
    assert plan.problems == [
        "This looks like a press release: it has no recommendations or ratings to import. Import the report itself."
    ]
    assert Inspection.objects.count() == 0


def test_all_five_documents_give_the_fixtures_39_recommendations(units):
    for filename in (DERBY_CITY, DERBYSHIRE, DERBYSHIRE_2016, REGIONAL_LETTER):
        import_seed(filename)
    assert Recommendation.objects.count() == 39
    assert Inspection.objects.count() == 5
    # The letter's annexe repeats the Derby City recommendations: recognised, not doubled.
    assert Inspection.objects.filter(unit__slug="derby-city").count() == 1


def test_importing_a_report_again_changes_nothing(units):
    import_seed(DERBY_CITY)
    plan = plan_report_import(seed_bytes(DERBY_CITY), DERBY_CITY)
    assert plan.already_imported and not plan.can_load
    assert load_report(plan=plan, accept_new_units=False) == []
    assert Inspection.objects.count() == 1 and Recommendation.objects.count() == 8


def test_a_report_imported_into_a_database_with_no_units_proposes_them_under_the_right_parents(db):
    plan, created = import_seed(DERBY_CITY, accept_new_units=True)
    assert [(p.name, p.short_name, p.kind) for p in plan.proposals] == [
        ("HM Prison and Probation Service", "HMPPS", "national"),
        ("Probation Service – East Midlands", "East Midlands", "region"),
        ("Derby City PDU", "Derby City", "pdu"),
    ]
    pdu = OrgUnit.objects.get(slug="derby-city")
    assert (pdu.parent.slug, pdu.parent.parent.slug) == ("east-midlands", "hmpps")
    assert created[0].unit == pdu


def test_the_command_previews_with_dry_run_and_writes_nothing(units, capsys):
    from tests.report_import_world import SEEDS

    seed_bytes(DERBYSHIRE)
    call_command("import_report", str(SEEDS / DERBYSHIRE), "--dry-run")
    out = capsys.readouterr().out
    assert "Score: 2/21" in out and "[line 67:" in out
    assert "Recommendation 2: develop practitioners' confidence" in out
    assert "!! Published: Could not find the day of publication: the report gives only May 2025." in out
    assert "Dry run: nothing written." in out
    assert Inspection.objects.count() == 0


def test_the_command_imports_and_reports_what_it_created(units, capsys):
    from tests.report_import_world import SEEDS

    seed_bytes(DERBYSHIRE)
    call_command("import_report", str(SEEDS / DERBYSHIRE), "--published", "1 May 2025")
    assert "Imported 1 inspection(s) with 6 recommendation(s)." in capsys.readouterr().out
    call_command("import_report", str(SEEDS / DERBYSHIRE), "--published", "2025-05-01")
    assert "already imported" in capsys.readouterr().out
    assert Inspection.objects.count() == 1
    assert Inspection.objects.get().published_on == dt.date(2025, 5, 1)


def test_the_command_asks_for_the_day_of_publication_and_scripts_must_give_it(units, monkeypatch, tmp_path):
    from django.core.management.base import CommandError

    report = tmp_path / "derbyshire.txt"
    report.write_bytes(seed_bytes(DERBYSHIRE))
    with pytest.raises(CommandError, match="Give it with --published DATE"):
        call_command("import_report", str(report), "--yes")
    answers = iter(["May 2025", "14/05/2025"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    call_command("import_report", str(report))
    assert Inspection.objects.get().published_on == dt.date(2025, 5, 14)


def test_the_command_asks_before_creating_units_and_writes_nothing_when_refused(db, monkeypatch, tmp_path):
    from django.core.management.base import CommandError

    report = tmp_path / "derby.txt"
    report.write_bytes(seed_bytes(DERBY_CITY))
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(CommandError, match="the new units were not accepted"):
        call_command("import_report", str(report), "--published", "9/2/2023")
    assert OrgUnit.objects.count() == 0 and Inspection.objects.count() == 0
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    call_command("import_report", str(report), "--published", "9/2/2023")
    assert Inspection.objects.get().unit.parent.name == "Probation Service – East Midlands"
