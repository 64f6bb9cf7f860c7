"""Small line charts drawn on the server as SVG: no JavaScript, readable in black and white.

This module only does the geometry (scaling dates and values to coordinates); the
template reporting/includes/line_chart.html draws it, so every label is escaped by
Django. Each series has its own dash pattern and marker shape, not only its own colour,
and every chart comes with a table of the same numbers for screen readers and print.
"""

import itertools
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django.utils.safestring import mark_safe

from recommendations.date_formats import short_date

WIDTH, HEIGHT = 640, 300
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 16, 16, 40

# (stroke colour, dash pattern, marker): distinguishable without colour.
SERIES_STYLES = [
    ("#1d70b8", "", "circle"),
    ("#0b0c0c", "6 4", "square"),
    ("#00703c", "2 3", "triangle"),
    ("#d4351c", "10 3 2 3", "diamond"),
]


_MARKER_SHAPES = {
    "square": [(-4, -4), (4, -4), (4, 4), (-4, 4)],
    "triangle": [(0, -5), (5, 4), (-5, 4)],
    "diamond": [(0, -5), (5, 0), (0, 5), (-5, 0)],
}


def _one_decimal(value: float) -> str:
    """As the template filter floatformat:1 writes a coordinate (rounding half up), without its cost."""
    return str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass
class Point:
    x: float
    y: float
    day: date
    value: Decimal | int
    label: str
    marker: str = "circle"

    @property
    def polygon(self):
        """The marker's outline for shapes other than a circle."""
        return " ".join(f"{self.x + dx:.1f},{self.y + dy:.1f}" for dx, dy in _MARKER_SHAPES.get(self.marker, []))


@dataclass
class Series:
    name: str
    values: list[tuple[date, Decimal | int]]
    colour: str = ""
    dash: str = ""
    marker: str = "circle"
    points: list[Point] = field(default_factory=list)

    @property
    def markers(self):
        """Every point's marker as SVG, each with its value and date for screen readers and tests.

        Built here rather than in the template: a national dashboard draws over a thousand
        points, and the template engine's per-point filters cost more than the page's queries.
        Every text is escaped (html.escape escapes what Django's escape does), once per
        series for the name and once per point for the rest.
        """
        name, colour = escape(self.name), escape(self.colour)
        shapes = []
        for p in self.points:
            data = f'fill="{colour}" data-value="{escape(str(p.value))}" data-date="{p.day.isoformat()}"'
            title = f"<title>{name}, {short_date(p.day)}: {escape(p.label)}</title>"
            if p.marker == "circle":
                shapes.append(
                    f'<circle class="chart-point" cx="{_one_decimal(p.x)}" cy="{_one_decimal(p.y)}" r="4" {data}>'
                    f"{title}</circle>"
                )
            else:
                shapes.append(f'<polygon class="chart-point" points="{p.polygon}" {data}>{title}</polygon>')
        return mark_safe("".join(shapes))  # noqa: S308 - every text in it is escaped above

    @property
    def path(self):
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points))


@dataclass
class ReferenceLine:
    name: str
    value: Decimal | int
    y: float = 0.0
    label: str = ""


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class LineChart:
    chart_id: str
    title: str
    description: str
    series: list[Series]
    references: list[ReferenceLine]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = MARGIN_LEFT
    plot_right: int = WIDTH - MARGIN_RIGHT
    plot_top: int = MARGIN_TOP
    plot_bottom: int = HEIGHT - MARGIN_BOTTOM

    @property
    def is_empty(self):
        return not any(s.points for s in self.series)

    @property
    def grid(self):
        """The gridlines, axes, their labels and the reference lines as SVG.

        Built here, as each series' markers are: a national dashboard draws thirteen charts,
        and the template engine's filters on each coordinate cost more than its queries.
        Labels are escaped as Django escapes them.
        """
        left, right, top, bottom = self.plot_left, self.plot_right, self.plot_top, self.plot_bottom
        parts = []
        for tick in self.y_ticks:
            y = _one_decimal(tick.position)
            parts.append(
                f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="#b1b4b6" stroke-width="0.5"/>'
                f'<text x="{left - 6}" y="{y}" text-anchor="end" dominant-baseline="middle" fill="#0b0c0c">'
                f"{escape(str(tick.label))}</text>"
            )
        for tick in self.x_ticks:
            x = _one_decimal(tick.position)
            parts.append(
                f'<line x1="{x}" x2="{x}" y1="{bottom}" y2="{bottom + 5}" stroke="#0b0c0c"/>'
                f'<text x="{x}" y="{bottom + 20}" text-anchor="middle" fill="#0b0c0c">{escape(str(tick.label))}</text>'
            )
        parts.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#0b0c0c"/>')
        parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" stroke="#0b0c0c"/>')
        for line in self.references:
            y = _one_decimal(line.y)
            parts.append(
                f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="#505a5f" stroke-width="1.5" '
                'stroke-dasharray="1 4" stroke-linecap="round"/>'
                f'<text x="{right}" y="{y}" dy="-4" text-anchor="end" fill="#505a5f">{escape(str(line.label))}</text>'
            )
        return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def _nice_max(value) -> int:
    """Round the top of the scale up to a tidy number (e.g. 37 → 40)."""
    value = max(int(value), 1)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= step * 5:
            return -(-value // step) * step
    return value


def _month_ticks(start: date, end: date, to_x) -> list[Tick]:
    """Labels on the first of the months within the axis, about seven at most.

    They count from the first first-of-the-month on the axis. The start itself is
    labelled only when no first of a month falls within the axis: a label at, say,
    30 April would print over the one for 1 May beside it.
    """
    year, month = (start.year, start.month) if start.day == 1 else _month_after(start.year, start.month)
    months = (end.year - year) * 12 + end.month - month
    step = max(1, -(-months // 6))
    ticks = []
    for index in itertools.count():
        day = date(year, month, 1)
        if day > end:
            break
        if index % step == 0:
            ticks.append(Tick(to_x(day), day.strftime("%b %Y")))
        year, month = _month_after(year, month)
    return ticks or [Tick(to_x(start), start.strftime("%b %Y"))]


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: list[Series],
    references: list[ReferenceLine] = (),
    y_max=None,
    format_value=str,
) -> LineChart:
    """Lay out series of (date, value) pairs on a shared date axis from 0 to y_max."""
    chart = LineChart(chart_id, title, description, list(series), list(references), [], [])
    days = [day for s in chart.series for day, _ in s.values]
    if not days:
        return chart
    start, end = min(days), max(days)
    if start == end:
        start = date.fromordinal(start.toordinal() - 15)
        end = date.fromordinal(end.toordinal() + 15)
    top = y_max
    if top is None:
        highest = max([v for s in chart.series for _, v in s.values] + [r.value for r in chart.references] + [1])
        top = _nice_max(highest)
    width = chart.plot_right - chart.plot_left
    height = chart.plot_bottom - chart.plot_top

    def to_x(day):
        return chart.plot_left + width * (day - start).days / (end - start).days

    def to_y(value):
        return chart.plot_bottom - height * float(value) / float(top)

    for index, s in enumerate(chart.series):
        colour, dash, marker = SERIES_STYLES[index % len(SERIES_STYLES)]
        s.colour, s.dash, s.marker = s.colour or colour, s.dash or dash, marker
        s.points = [Point(to_x(day), to_y(value), day, value, format_value(value), marker) for day, value in s.values]
    for reference in chart.references:
        reference.y = to_y(reference.value)
        reference.label = f"{reference.name}: {format_value(reference.value)}"
    chart.x_ticks = _month_ticks(start, end, to_x)
    # Gridlines at whole numbers where the scale allows (a count of 6 gets 0, 2, 4, 6, not 1.5 and 4.5).
    intervals = next((n for n in (4, 5, 3, 2) if float(top) % n == 0), 4)
    chart.y_ticks = [
        Tick(to_y(top * i / intervals), format_value(_tidy(top * i / intervals))) for i in range(intervals + 1)
    ]
    return chart


def _tidy(value):
    return int(value) if float(value).is_integer() else round(Decimal(value), 1)
