"""The server-drawn line charts: the labels under the date axis."""

from datetime import date

from reporting.charts import Series, line_chart


def _chart(*days):
    return line_chart(
        chart_id="c",
        title="Readings",
        description="",
        series=[Series("Readings", [(day, 50) for day in days])],
    )


def test_months_are_labelled_on_their_first_day():
    chart = _chart(date(2026, 1, 1), date(2026, 4, 1))
    assert [tick.label for tick in chart.x_ticks] == ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"]
    assert chart.x_ticks[0].position == chart.plot_left
    assert chart.x_ticks[-1].position == chart.plot_right


def test_an_axis_starting_late_in_a_month_has_no_label_printed_over_the_next():
    # A measure's first reading on 30 April: a label for April there would overlap the one for 1 May.
    chart = _chart(date(2026, 4, 30), date(2026, 7, 31), date(2026, 10, 30))
    labels = [tick.label for tick in chart.x_ticks]
    assert labels[0] == "May 2026"
    assert "Apr 2026" not in labels
    positions = [tick.position for tick in chart.x_ticks]
    assert min(b - a for a, b in zip(positions, positions[1:], strict=False)) > 60


def test_a_long_axis_has_about_seven_labels():
    chart = _chart(date(2023, 2, 9), date(2026, 10, 30))
    # From a baseline published on 9 February 2023: labels every eight months from 1 March.
    assert [tick.label for tick in chart.x_ticks] == [
        "Mar 2023",
        "Nov 2023",
        "Jul 2024",
        "Mar 2025",
        "Nov 2025",
        "Jul 2026",
    ]


def test_an_axis_within_one_month_is_labelled_at_its_start():
    chart = _chart(date(2026, 3, 5), date(2026, 3, 20))
    assert [tick.label for tick in chart.x_ticks] == ["Mar 2026"]
    assert chart.x_ticks[0].position == chart.plot_left
