"""One test per parsing rule in recommendations/report_import/rules/ (no database)."""

import datetime as dt
from decimal import Decimal

from recommendations.report_import import rules
from recommendations.report_import.reading import Line, report_lines


def lines(text: str) -> list[Line]:
    return rules.split_markup([Line(n, t) for n, t in enumerate(text.split("\n"), start=1)])


def test_inline_markup_is_dropped_and_glued_bold_text_is_split_into_lines():
    result = lines("Overall rating**Inadequate****1. Organisational delivery**\n| Key question | 50% |\nA <u>link</u>")
    assert [(line.number, line.text) for line in result] == [
        (1, "Overall rating"),
        (1, "Inadequate"),
        (1, "1. Organisational delivery"),
        (2, "Key question\t50%"),
        (3, "A link"),
    ]


def test_page_numbers_footnotes_and_running_headers_are_page_furniture():
    document = lines(
        "Inspection of Derby\n\nx\nInspection of Derby\n7\ny\nInspection of Derby\n"
        "engaging and\ndesistance?\n70%\nsupporting\ndesistance?\n68%\nreducing\ndesistance?\n60%"
    )
    repeated = rules.repeated_lines(document)
    assert repeated == {"Inspection of Derby"}
    assert rules.is_page_furniture("Inspection of Derby", repeated)
    assert rules.is_page_furniture("12", repeated)
    assert rules.is_page_furniture("Page 5 of 20", repeated)
    assert rules.is_page_furniture("¹ Progress against previous recommendations", repeated)
    assert not rules.is_page_furniture("improve the quality of risk of harm work", repeated)


def test_the_kind_of_document_is_told_by_its_first_page():
    assert rules.document_kind(lines("HM Inspectorate\nAn inspection of probation services in:\nX PDU")) == "pdu"
    assert rules.document_kind(lines("Quality & Impact inspection\nThe effectiveness of …")) == "quality_impact"
    assert rules.document_kind(lines("09 February 2022\nDear Martin,\nbody\nAnnexe one – Recommendations")) == (
        "regional_letter"
    )
    assert rules.document_kind(lines("Derby rated\nThe Chief Inspector said: “good”")) == "press_release"
    assert rules.document_kind(lines("Minutes of the meeting")) == ""


def test_a_pdu_reports_cover_names_the_unit_and_its_region():
    unit, region = rules.inspected_unit(
        lines(
            "An inspection of probation services in:\n\nDerby City PDU\n\nThe Probation Service – East Midlands region"
        )
    )
    assert (unit.value, unit.line.number) == ("Derby City PDU", 3)
    assert (region.value, region.line.number) == ("Probation Service – East Midlands", 5)


def test_a_region_is_named_without_the_and_region():
    assert rules.region_name("The Probation Service – East Midlands Region") == "Probation Service – East Midlands"
    assert rules.region_name("Derby City PDU") == ""


def test_a_regional_letter_names_the_region_it_reviewed():
    found = rules.reviewed_region(lines("Thanks for the recent review of Probation Service – Wales region."))
    assert found.value == "Probation Service – Wales"


def test_a_quality_and_impact_report_names_its_area_on_the_line_after_its_kind():
    found = rules.area_title(
        lines("\nQuality & Impact inspection\n\nThe effectiveness of probation work in Derbyshire")
    )
    assert (found.value, found.line.number) == ("The effectiveness of probation work in Derbyshire", 4)


def test_a_date_has_a_day_a_month_name_and_a_year():
    assert rules.parse_date("09 February 2023") == dt.date(2023, 2, 9)
    assert rules.parse_date("February 2023") is None


def test_the_publication_date_is_a_day_the_report_states_never_the_first_of_a_month():
    assert rules.publication_date(lines("Address\n09 February 2022\nTo:")).value == dt.date(2022, 2, 9)
    assert rules.publication_date(lines("Cover\nHM Inspectorate of Probation, 9 February 2023")).value == dt.date(
        2023, 2, 9
    )
    assert rules.publication_date(lines("Cover\nMay 2025\n\nPublished: 14 May 2025")).value == dt.date(2025, 5, 14)
    assert rules.publication_date(lines("meta article:published_time: 2023-02-09T00:01:00Z")).value == dt.date(
        2023, 2, 9
    )
    assert not rules.publication_date(lines("Cover\nHM Inspectorate of Probation, May 2025\nPublished by:\nHMI"))
    assert not rules.publication_date(lines("No date here"))


def test_a_cover_giving_only_a_month_is_read_as_that_month_and_line():
    found = rules.publication_month(lines("Cover\nHM Inspectorate of Probation, May 2025"))
    assert (found.value, found.line.number) == ("May 2025", 2)
    assert rules.publication_month(lines("An inspection\nSeptember 2016")).value == "September 2016"
    assert not rules.publication_month(lines("No date here"))


def test_a_saved_web_pages_publication_date_is_read_from_its_metadata():
    page = (
        b"<html><head><title>Report</title><meta property='article:published_time' content='2023-02-09T00:01:00Z'>"
        b"<meta name='description' content='2020-01-01'></head><body><p>HM Inspectorate of Probation, February 2023</p>"
        b"</body></html>"
    )
    found = rules.publication_date(rules.split_markup(report_lines(page, "report.html")))
    assert found.value == dt.date(2023, 2, 9)


def test_fieldwork_dates_run_monday_to_friday_of_the_weeks_stated():
    start, end = rules.fieldwork_dates(
        lines("We conducted fieldwork in Derby City PDU week beginning 21 November 2022.")
    )
    assert (start.value, end.value) == (dt.date(2022, 11, 21), dt.date(2022, 11, 25))
    start, end = rules.fieldwork_dates(
        lines("We conducted fieldwork in Derbyshire PDU over a period of two weeks, beginning 24 February 2025.")
    )
    assert (start.value, end.value) == (dt.date(2025, 2, 24), dt.date(2025, 3, 7))
    assert rules.fieldwork_dates(lines("No dates given")) == (rules.NOT_FOUND, rules.NOT_FOUND)


def test_the_lead_inspector_is_read_in_the_three_ways_reports_print_it():
    assert rules.lead_inspector(lines("This inspection was led by HM Inspector Leon Bonas, supported by")).value == (
        "Leon Bonas, HM Inspector"
    )
    assert rules.lead_inspector(lines("Lead Inspector\tJoseph Simpson, <i>Inspector</i>")).value == (
        "Joseph Simpson, Inspector"
    )
    assert rules.lead_inspector(lines("Jon Gardner, Lead Inspector")).value == "Jon Gardner, Lead Inspector"


def test_a_rating_is_one_of_the_four_published_words_alone_or_in_a_table_row():
    assert rules.rating_value("Requires improvement") == "requires_improvement"
    assert rules.rating_value("Requires improvement in places") == ""
    assert rules.rating_in("P 1.1\tLeadership\tInadequate\t") == "inadequate"


def test_the_score_is_read_on_one_line_or_across_two():
    assert rules.score(lines("Score **11/27**")).value == (11, 27)
    assert rules.score(lines("rshire PDU ork started February 2025\tScore\t2/21")).value == (2, 21)
    assert rules.score(lines("Score\n\n4/27")).value == (4, 27)
    assert not rules.score(lines("the score of 40 per cent"))


def test_the_overall_rating_is_read_even_when_its_words_were_broken():
    assert rules.overall_rating(lines("Overall rating\n\nRequires improvement")).value == "requires_improvement"
    assert rules.overall_rating(lines("Overa\tIII rating\tInadequate\t")).value == "inadequate"


def test_domain_headings_are_taken_where_printed_whole():
    found = rules.domain_names(lines("1.\tOrganisational arrangements an\td activity\n1. Organisational arrangements"))
    assert found == {"1": "Organisational arrangements"}


def test_each_standard_is_taken_once_with_its_rating_and_a_repeated_code_is_numbered_on():
    text = (
        "2. Court work and case supervision\n2.1\tCourt work\tInadequate\n2.2\tAssessment\tInadequate\n"
        "2.2\tPlanning\tGood\n2.3\tImplementation and delivery\tGood\n\n2.2. Assessment\n\nAssessment is analytical.\n"
        "Inadequate\n2.6. Outcomes\nWe do not rate outcomes."
    )
    found = [(f.value.domain, f.value.code, f.value.name, f.value.rating) for f in rules.standard_ratings(lines(text))]
    assert found == [
        ("Court work and case supervision", "2.1", "Court work", "inadequate"),
        ("Court work and case supervision", "2.2", "Assessment", "inadequate"),
        ("Court work and case supervision", "2.3", "Planning", "good"),
        ("Court work and case supervision", "2.4", "Implementation and delivery", "good"),
    ]


def test_key_questions_are_read_under_their_standard_with_wrapped_questions_joined():
    text = (
        "2.2. Assessment\n\nInadequate\n\n| Key question | Percentage 'Yes' |\n|---|---|\n"
        "| Does assessment focus sufficiently on engaging the person on probation? | 70% |\n"
        "Does assessment focus sufficiently on keeping\nother people safe?\t40%\n\nDerby City was rated 'Inadequate'."
    )
    found = [
        (f.value.section, f.value.code, f.value.question, f.value.percentage) for f in rules.key_questions(lines(text))
    ]
    assert found == [
        ("Assessment", "2.2", "Does assessment focus sufficiently on engaging the person on probation?", Decimal(70)),
        ("Assessment", "2.2", "Does assessment focus sufficiently on keeping other people safe?", Decimal(40)),
    ]


def test_an_addressee_heading_ends_in_should_and_a_colon():
    assert rules.addressee_heading("The Community Rehabilitation Company should:") == "Community Rehabilitation Company"
    assert rules.addressee_heading("HM Prison and Probation Service (HMPPS) should:") == (
        "HM Prison and Probation Service (HMPPS)"
    )
    assert rules.addressee_heading("Leaders should consider this.") == ""


def test_a_recommendation_continues_the_numbering_or_is_a_bullet_that_takes_the_next_number():
    assert rules.recommendation_item("5. ensure that …", 5) == (5, "ensure that …")
    assert rules.recommendation_item("- 1. clearly communicate", 1) == (1, "clearly communicate")
    assert rules.recommendation_item("- develop practitioners' confidence", 2) == (
        2,
        "develop practitioners' confidence",
    )
    assert rules.recommendation_item("2. The arrangements for delivering probation services", 13) is None


def test_a_wrapped_recommendation_goes_on_until_its_full_stop():
    assert rules.is_continuation("ensure that risk-related information with", "Derbyshire Constabulary", False)
    assert rules.is_continuation("improve the quality of", "assessments", True)
    assert not rules.is_continuation("improve the quality of", "Background", True)
    assert not rules.is_continuation("resources in place.", "Background", False)


def test_recommendations_are_read_word_for_word_under_their_addressees():
    text = (
        "Recommendations\n\nDerby City PDU should:\n\n1. improve the quality of risk of harm assessments\n"
        "and analysis\n\nInspection of probation services: Derby City\n7\n"
        "Inspection of probation services: Derby City\n"
        "ensuring all information is used\n2. ensure staffing.\n\nThe CRC and the NPS should:\n\n3. escalate cases.\n\n"
        "Background\n\nInspection of probation services: Derby City\n2. The arrangements"
    )
    found = [(r.number, r.addressee.value, r.text) for r in rules.recommendations(lines(text))]
    assert found == [
        (
            1,
            "Derby City PDU",
            "improve the quality of risk of harm assessments and analysis ensuring all information is used",
        ),
        (2, "Derby City PDU", "ensure staffing."),
        (3, "CRC and the NPS", "escalate cases."),
    ]


def test_a_unit_named_above_its_heading_starts_a_section_numbered_from_one():
    text = "A PDU\n\nA PDU should:\n\n1. do a.\n\nB PDU\n\nB PDU should:\n\n1. do b.\n\nAnnexe two"
    found = [(r.section, r.number, r.text) for r in rules.recommendations(lines(text))]
    assert found == [("A PDU", 1, "do a."), ("B PDU", 1, "do b.")]


def test_a_joint_heading_names_each_body():
    assert rules.joint_addressees("Community Rehabilitation Company and National Probation Service") == [
        "Community Rehabilitation Company",
        "National Probation Service",
    ]


def test_the_annexes_of_a_letter_are_found_by_their_headings():
    document = lines("Dear Martin,\nAnnexe one – Recommendations\nx\nAnnexe two – PDU ratings")
    assert (rules.annexe_start(document, "one"), rules.annexe_start(document, "two")) == (1, 3)
    assert rules.annexe_start(document, "three") is None


def test_annexe_two_has_one_ratings_block_per_pdu_even_when_a_name_is_lost():
    text = (
        "Set out below are the ratings\nDerby City\t\tScore\t11/27\nOverall rating\tGood\n1.1\tLeadership\tGood\n"
        "Overall rating**Inadequate**\n1.1 Leadership\n\nInadequate"
    )
    blocks = rules.rating_blocks(lines(text))
    assert [(name.value, [line.number for line in block]) for name, block in blocks] == [
        ("Derby City", [2, 3, 4]),
        (None, [5, 5, 6, 7, 8]),
    ]


def test_months_after_a_documents_own_date_are_a_sign_its_date_is_misprinted():
    later = rules.later_months_mentioned(
        lines("In September 2022, work began.\nIn January 2021 too."), dt.date(2022, 2, 9)
    )
    assert [found.value for found in later] == [dt.date(2022, 9, 1)]
