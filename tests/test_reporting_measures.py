"""Measures of impact: the published baseline, the target, readings over time and their chart."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from recommendations.models import KeyQuestionResult
from reporting.models import Measure, MeasureReading, MeasureUnit
from reporting.selectors.measures import measures_for_recommendation, measures_for_units
from reporting.services import add_measure_reading
from tests.factories import DirectorFactory, UserFactory
from tests.reporting_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(clock):
    return build_world()


@pytest.fixture
def measure(world):
    question = KeyQuestionResult.objects.create(
        inspection=world.derbyshire_2025,
        section="Assessment",
        question="Does assessment focus sufficiently on keeping other people safe?",
        percentage=Decimal("34.0"),
    )
    measure = Measure.objects.create(
        name="Assessment focuses on keeping other people safe",
        unit=world.derbyshire,
        key_question=question,
        target=Decimal("75"),
    )
    measure.recommendations.add(world.shire_r1)
    return measure


def _read(measure, day, value, by):
    return add_measure_reading(
        measure=measure, taken_on=day, value=Decimal(value), source="internal audit", recorded_by=by
    )


def test_the_baseline_comes_from_the_published_key_question(measure):
    assert measure.baseline == Decimal("34.0")
    assert measure.baseline_date == dt.date(2025, 5, 20)
    assert "Derbyshire PDU" in measure.baseline_source


def test_a_reading_is_validated(measure, world):
    with pytest.raises(ValidationError) as error:
        _read(measure, dt.date(2026, 1, 16), "50", world.derbyshire_lead)
    assert "today or in the past" in str(error.value.message_dict["taken_on"])
    with pytest.raises(ValidationError) as error:
        _read(measure, dt.date(2026, 1, 1), "100.5", world.derbyshire_lead)
    assert "between 0 and 100" in str(error.value.message_dict["value"])
    with pytest.raises(ValidationError) as error:
        add_measure_reading(
            measure=measure, taken_on=dt.date(2026, 1, 1), value=Decimal(5), source="  ", recorded_by=world.director
        )
    assert "source" in error.value.message_dict
    assert not MeasureReading.objects.exists()
    _read(measure, dt.date(2026, 1, 15), "100", world.derbyshire_lead)  # today, and the top of the range, are fine


def test_a_count_measure_is_not_capped_at_100(world):
    measure = Measure.objects.create(name="Cases audited", unit=world.derby, unit_of_measure=MeasureUnit.NUMBER)
    assert _read(measure, dt.date(2026, 1, 1), "240", world.derby_lead).value == 240
    with pytest.raises(ValidationError):
        _read(measure, dt.date(2026, 1, 1), "-1", world.derby_lead)


def test_the_summary_has_baseline_target_latest_and_a_chart_with_every_point(measure, world):
    _read(measure, dt.date(2025, 9, 30), "41", world.derbyshire_lead)
    _read(measure, dt.date(2025, 12, 31), "52.5", world.derbyshire_lead)
    [summary] = measures_for_recommendation(world.director, world.shire_r1)
    assert summary.latest.value == Decimal("52.5")
    assert summary.change_from_baseline == Decimal("18.5")
    assert not summary.target_met
    points = [(p.day, p.value) for p in summary.chart.series[0].points]
    assert points == [
        (dt.date(2025, 5, 20), Decimal("34.0")),
        (dt.date(2025, 9, 30), Decimal("41")),
        (dt.date(2025, 12, 31), Decimal("52.5")),
    ]
    # Later readings sit higher on the chart (SVG y grows downwards); the target line is at 75%.
    ys = [p.y for p in summary.chart.series[0].points]
    assert ys[0] > ys[1] > ys[2]
    assert summary.chart.references[0].label == "Target: 75%"


def test_measures_follow_the_users_scope(measure, world):
    assert measures_for_units(world.derbyshire_lead, [world.derbyshire])
    assert measures_for_units(world.derby_lead, [world.derbyshire]) == []
    assert measures_for_recommendation(world.derby_lead, world.shire_r1) == []


def _render_include(user, recommendation):
    request = RequestFactory().get(f"/recommendations/{recommendation.pk}/")
    request.user = user
    template = Template("{% load reporting_tags %}{% recommendation_measures recommendation %}")
    return template.render(Context({"request": request, "recommendation": recommendation}))


def test_the_recommendation_include_shows_the_numbers_an_accessible_svg_and_a_table(measure, world):
    _read(measure, dt.date(2025, 12, 31), "52.5", world.derbyshire_lead)
    html = _render_include(world.director, world.shire_r1)
    assert "Measures of impact" in html
    assert "Baseline" in html and "34%" in html
    assert "Target" in html and "75%" in html
    assert "52.5%" in html and "31 December 2025" in html
    assert 'role="img"' in html
    assert re.search(r'<title id="measure-\d+-title">', html) and "<desc" in html
    assert html.count('class="chart-point"') == 2  # the baseline and one reading
    assert 'data-value="52.5"' in html and 'data-date="2025-12-31"' in html
    assert '<table class="govuk-table' in html
    assert "style=" not in html  # no inline styles: the page's CSP forbids them
    assert "Record a new reading" in html  # a director in scope may record one


def test_only_leaders_and_directors_in_scope_see_the_form(measure, world):
    viewer = UserFactory(username="viewer", role="national_viewer", unit=world.hmpps)
    assert "Record a new reading" not in _render_include(viewer, world.shire_r1)
    assert "Record a new reading" in _render_include(world.derbyshire_lead, world.shire_r1)


def test_recording_a_reading_through_the_page(client, measure, world):
    client.force_login(world.derbyshire_lead)
    url = reverse("reporting:record_reading", args=[measure.pk])
    data = {"taken_on_day": "31", "taken_on_month": "12", "taken_on_year": "2025", "value": "48", "source": "Audit"}
    response = client.post(url, {**data, "next": "/somewhere/"})
    assert response.status_code == 302 and response.url == "/somewhere/"
    reading = measure.readings.get()
    assert reading.value == 48 and reading.recorded_by == world.derbyshire_lead


def test_a_bad_reading_is_explained_and_the_input_kept(client, measure, world):
    client.force_login(world.derbyshire_lead)
    url = reverse("reporting:record_reading", args=[measure.pk])
    data = {"taken_on_day": "1", "taken_on_month": "2", "taken_on_year": "2026", "value": "120", "source": "Audit 7"}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a percentage between 0 and 100" in html
    assert "The date of the reading must be today or in the past" in html
    assert 'value="120"' in html and 'value="Audit 7"' in html
    assert not measure.readings.exists()


def test_someone_outside_the_unit_cannot_record(client, measure, world):
    client.force_login(world.derby_lead)  # cannot even see Derbyshire's measure
    url = reverse("reporting:record_reading", args=[measure.pk])
    assert client.get(url).status_code == 404
    other_director = DirectorFactory(username="other.director")
    client.force_login(other_director)
    assert client.post(url, {"value": "50"}).status_code == 404
    assert not measure.readings.exists()


def test_the_admin_sets_up_measures_with_their_readings(client, measure, world):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@justice.example", "a-long-admin-password")
    client.force_login(admin)
    _read(measure, dt.date(2025, 12, 31), "52.5", world.derbyshire_lead)
    assert client.get(reverse("admin:reporting_measure_add")).status_code == 200
    change = client.get(reverse("admin:reporting_measure_change", args=[measure.pk])).content.decode()
    assert "internal audit" in change  # the readings inline
    assert client.get(reverse("admin:reporting_measurereading_changelist")).status_code == 200


def test_a_new_reading_shows_at_once_on_pages_that_keep_their_measures(client, measure, world):
    client.force_login(world.derbyshire_lead)
    page = reverse("recommendations:recommendation_detail", args=[world.shire_r1.pk])
    assert "61.5%" not in client.get(page).content.decode()

    _read(measure, dt.date(2026, 1, 10), "61.5", world.derbyshire_lead)

    assert "61.5%" in client.get(page).content.decode()
    measure.target = Decimal("80")
    measure.save()
    assert "80%" in client.get(page).content.decode()


def test_the_inspection_page_shows_the_latest_reading_beside_the_key_question(client, measure, world):
    unmeasured = KeyQuestionResult.objects.create(
        inspection=world.derbyshire_2025,
        section="Planning",
        question="Does planning focus sufficiently on keeping other people safe?",
        percentage=Decimal("44.0"),
        order=2,
    )
    _read(measure, dt.date(2025, 9, 30), "41", world.derbyshire_lead)
    _read(measure, dt.date(2025, 12, 31), "52.5", world.derbyshire_lead)
    page = reverse("recommendations:inspection_detail", args=[world.derbyshire_2025.pk])
    client.force_login(world.director)

    html = client.get(page).content.decode()

    assert "Latest reading" in html
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S)
    [followed] = [row for row in rows if measure.key_question.question in row]
    assert "34.0%" in followed  # the published figure
    assert "<strong>52.5%</strong> on 31 December 2025 (internal audit)" in followed
    assert "Assessment focuses on keeping other people safe, Derbyshire" in followed
    assert "41%" not in followed  # only the latest reading
    [not_followed] = [row for row in rows if unmeasured.question in row]
    assert 'data-measured="0"' in not_followed and "Not measured since the inspection" in not_followed

    # A new reading shows at once, although the page is kept until the data changes.
    _read(measure, dt.date(2026, 1, 10), "61.5", world.derbyshire_lead)
    assert "<strong>61.5%</strong> on 10 January 2026" in client.get(page).content.decode()


def test_the_inspection_page_has_no_reading_column_when_nothing_is_measured(client, measure, world):
    KeyQuestionResult.objects.create(
        inspection=world.derby_2023,
        section="Assessment",
        question="Does assessment focus sufficiently on keeping other people safe?",
        percentage=Decimal("40.0"),
    )
    client.force_login(world.director)  # sees Derbyshire's measure, which follows another inspection
    html = client.get(reverse("recommendations:inspection_detail", args=[world.derby_2023.pk])).content.decode()
    assert "40.0%" in html
    assert "Latest reading" not in html and "Not measured since" not in html
