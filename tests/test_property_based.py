"""Property-based tests: whatever text people type, paste or import, the service never fails.

- every form, posted with arbitrary text (Unicode, right-to-left, emoji, NUL and other
  control characters, very long input) in every field, answers below 500;
- the plan's filters take arbitrary query strings;
- arbitrary text stored in the plan comes back out of the CSV and XLSX downloads as it went in;
- arbitrary spreadsheet rows fed to the imports end in imported rows or reported row errors,
  never an exception, and never a part-imported file.
"""

import csv
import datetime as dt
import io

import openpyxl
import pytest
import tablib
import time_machine
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommendations.exports.csv_plan import FORMULA_TRIGGERS
from recommendations.models import Action, Recommendation
from recommendations.plan_spreadsheet import columns as plan_columns
from recommendations.plan_spreadsheet.applying import import_plan
from recommendations.resources import RecommendationResource
from reporting.models import Measure
from tests.web_world import build_world

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
MODEST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces that real input has and random text rarely finds by itself.
AWKWARD = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\x0b\x0c\x1b",
        "\r\n",
        "مراجعة الحالة",
        "\u202egnp.exe",
        "\u2066isolate\u2069",
        "👩‍👩‍👧‍👦🙂🏴󠁧󠁢󠁷󠁬󠁳󠁿",
        "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o",
        "<script>alert(1)</script>",
        '=HYPERLINK("http://x")',
        "'; DROP TABLE action; --",
        "%s%n{0}{{x}}",
        "31",
        "2",
        "-1",
        "99999999999999999999",
    ]
)
FREE_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.text(max_size=20), AWKWARD), max_size=8).map("".join),
    st.integers(min_value=2001, max_value=60000).map(lambda n: "long " * (n // 5)),
)


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        yield build_world()


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


# Each form: the URL, who posts it, its free-text and date fields, and fixed fields a browser sends.
FORMS = {
    "log progress": ("recommendations:action_log_progress", "action", "leader", ["narrative", "status", "rag"], {}),
    "add evidence": (
        "recommendations:evidence_add",
        "action",
        "leader",
        ["title", "description", "url", "relates_to_day", "relates_to_month", "relates_to_year"],
        {},
    ),
    "complete": ("recommendations:action_complete", "action", "leader", ["narrative"], {}),
    "withdraw evidence": ("recommendations:evidence_withdraw", "link", "leader", ["reason"], {}),
    "revise due date": (
        "recommendations:action_revise_due_date",
        "action",
        "director",
        ["reason", "new_due_date_day", "new_due_date_month", "new_due_date_year"],
        {},
    ),
    "edit action": (
        "recommendations:action_edit",
        "action",
        "director",
        ["description", "success_measure", "owner", "start_date_day", "start_date_month", "start_date_year"],
        {},
    ),
    "verify": ("recommendations:action_verify", "action", "director", ["comment"], {}),
    "return": ("recommendations:action_return", "action", "director", ["reason"], {}),
    "response": (
        "recommendations:recommendation_response",
        "recommendation",
        "director",
        ["response", "rationale"],
        {},
    ),
    "new action": (
        "recommendations:action_create",
        "recommendation",
        "director",
        ["description", "success_measure", "unit", "owner", "due_date_day", "due_date_month", "due_date_year"],
        {},
    ),
    "record reading": (
        "reporting:record_reading",
        "measure",
        "leader",
        ["value", "source", "note", "taken_on_day", "taken_on_month", "taken_on_year", "next"],
        {},
    ),
    "calendar": ("reporting:calendar", None, "leader", ["action"], {}),
}


@pytest.mark.parametrize("form_name", sorted(FORMS))
def test_no_form_fails_whatever_is_typed(world, form_name):
    url_name, obj_name, role, fields, fixed = FORMS[form_name]
    if obj_name == "measure":
        world.measure = Measure.objects.create(name="Assessments keep people safe", unit=world.pdu, baseline=40)
        world.measure.recommendations.add(world.recommendation)
    args = [getattr(world, obj_name).pk] if obj_name else []
    url = reverse(url_name, args=args)
    client = _signed_in(getattr(world, role))
    assert client.get(url).status_code == 200, "the form must be reachable, or the property says nothing"

    @MODEST
    @given(values=st.fixed_dictionaries(dict.fromkeys(fields, FREE_TEXT)), keep_version=st.booleans())
    def post_anything(values, keep_version):
        data = dict(fixed, **values)
        if keep_version:
            data["version"] = str(Action.objects.get(pk=world.action.pk).version)
        with time_machine.travel(NOW, tick=False):
            response = client.post(url, data)
        assert response.status_code < 500, (form_name, data)
        if response.status_code == 200 and "version" in data:
            assert "govuk-error-summary" in response.content.decode() or form_name == "calendar"

    post_anything()


def test_sign_in_never_fails_whatever_is_typed(world):
    client = Client()

    @MODEST
    @given(username=FREE_TEXT, password=FREE_TEXT)
    def sign_in(username, password):
        response = client.post(reverse("login"), {"username": username, "password": password})
        assert response.status_code in (200, 302)
        assert not client.session.get("_auth_user_id")

    sign_in()


def test_the_plan_filters_take_any_query_string(world):
    client = _signed_in(world.director)
    pages = [
        reverse("recommendations:action_plan"),
        reverse("recommendations:action_plan_csv"),
        reverse("reporting:plan_xlsx"),
    ]

    @MODEST
    @given(
        page=st.sampled_from(pages),
        params=st.dictionaries(
            st.sampled_from(
                ["unit", "status", "rag", "owner", "inspection", "response", "overdue", "sort", "page", "q", "within"]
            ),
            FREE_TEXT.map(lambda s: s[:500]),
            max_size=4,
        ),
    )
    def filter_anything(page, params):
        with time_machine.travel(NOW, tick=False):
            response = client.get(page, params)
        assert response.status_code < 500, (page, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)

    filter_anything()


# Text a database can store: PostgreSQL refuses NUL, and the forms refuse it too.
STORABLE = (
    st.one_of(
        st.text(min_size=1, max_size=200),
        st.lists(st.one_of(st.text(max_size=20), AWKWARD), min_size=1, max_size=8).map("".join),
    )
    .map(lambda s: s.replace("\x00", ""))
    .filter(lambda s: s.strip())
)
END = "‹end›"


def _csv_cells(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _xlsx_cells(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    # Line endings compared as line feeds: a carriage return may come back as written or as a line feed.
    return [
        _one_line_ending(cell.value)
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


def _one_line_ending(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _as_csv_shows_it(text):
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _as_xlsx_keeps_it(text):
    # XML 1.0 cannot hold most control characters: the workbook leaves them out; and XML
    # reads every line ending as a line feed.
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return _one_line_ending(ILLEGAL_CHARACTERS_RE.sub("", text))


def test_any_text_goes_through_the_csv_and_xlsx_downloads_unchanged(world):
    client = _signed_in(world.director)

    @MODEST
    @given(description=STORABLE, rationale=STORABLE)
    def round_trip(description, rationale):
        description += END
        Action.objects.filter(pk=world.action.pk).update(description=description)
        Recommendation.objects.filter(pk=world.recommendation.pk).update(text=rationale + END)
        with time_machine.travel(NOW, tick=False):
            csv_cells = _csv_cells(client.get(reverse("recommendations:action_plan_csv")))
            xlsx_response = client.get(reverse("reporting:plan_xlsx"))
        assert xlsx_response.status_code == 200
        xlsx_cells = _xlsx_cells(xlsx_response)
        assert _as_csv_shows_it(description) in csv_cells
        assert _as_csv_shows_it(rationale + END) in csv_cells
        assert _as_xlsx_keeps_it(description) in xlsx_cells
        assert _as_xlsx_keeps_it(rationale + END) in xlsx_cells

    round_trip()


def test_any_text_in_the_plan_still_makes_a_pdf_an_evidence_pack_and_a_calendar(world):
    from reporting.services import issue_calendar_feed

    client = _signed_in(world.director)
    token = issue_calendar_feed(user=world.leader)

    @settings(MODEST, max_examples=15)
    @given(description=STORABLE, title=STORABLE)
    def documents(description, title):
        Action.objects.filter(pk=world.action.pk).update(description=description)
        world.evidence.__class__.objects.filter(pk=world.evidence.pk).update(title=title[:200])
        with time_machine.travel(NOW, tick=False):
            pdf = client.get(reverse("reporting:plan_pdf"))
            pack = client.get(reverse("reporting:evidence_pack", args=[world.pdu.slug]))
            feed = Client().get(reverse("reporting:calendar_feed", args=[token]))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert pack.status_code == 200 and b"".join(pack.streaming_content).startswith(b"PK")
        assert feed.status_code == 200 and feed.content.startswith(b"BEGIN:VCALENDAR")

    documents()


RECOMMENDATION_COLUMNS = ["inspection_id", "number", "addressed_to", "text", "response", "response_rationale"]


def _rows(columns, plausible):
    cell = st.one_of(FREE_TEXT.map(lambda s: s[:3000]), st.sampled_from(plausible))
    return st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns)), min_size=1, max_size=4)


def test_any_recommendation_spreadsheet_rows_are_imported_whole_or_reported_row_by_row(world):
    columns, plausible = (
        RECOMMENDATION_COLUMNS,
        ["", str(world.inspection.pk), "1", "2", "70000", world.pdu.slug, "agreed", "Improve oversight"],
    )

    @MODEST
    @given(rows=_rows(columns, plausible))
    def import_anything(rows):
        before = list(Recommendation.objects.order_by("pk").values())
        dataset = tablib.Dataset(*rows, headers=columns)
        result = RecommendationResource().import_data(dataset, dry_run=False, user=world.director)
        if result.has_errors() or result.has_validation_errors():
            assert list(Recommendation.objects.order_by("pk").values()) == before, "a refused file must import nothing"
            for line, errors in result.row_errors():
                assert isinstance(line, int) and line >= 1 and errors
            for invalid in result.invalid_rows:
                assert invalid.number >= 1 and invalid.error_count >= 1
        else:
            assert Recommendation.objects.count() >= len(before)

    import_anything()


def test_any_action_plan_spreadsheet_is_imported_whole_or_refused_with_each_error_by_row_and_column(world):
    plausible = [
        "",
        str(world.recommendation.inspection),
        str(world.recommendation.number),
        "7",
        world.action.description,
        world.pdu.name,
        world.leader.email,
        "Nobody",
        "13/10/2026",
        "2026-02-31",
        "In progress",
        "Verified",
        "Cancelled",
        "Green",
        "Train every practitioner",
    ]

    @MODEST
    @given(rows=_rows(list(plan_columns.COLUMNS), plausible))
    def import_anything(rows):
        before = list(Action.objects.order_by("pk").values())
        result = import_plan(_csv_bytes(plan_columns.COLUMNS, rows), "plan.csv", by=world.director, commit=True)
        if not result.is_valid:
            assert list(Action.objects.order_by("pk").values()) == before, "a refused file must import nothing"
            for number, column, message in result.errors:
                assert number >= 2 and column in plan_columns.COLUMNS and message
            assert result.errors or result.problem
        else:
            assert Action.objects.count() >= len(before)

    import_anything()


def _csv_bytes(header, rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([list(header), *rows])
    return buffer.getvalue().encode()
