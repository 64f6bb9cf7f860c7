"""A dashboard row's cells, written by one tag, are the links `figure` makes for each of its figures."""

from recommendations.selectors.dashboards import FigureGroup, Figures, UnitFigures
from recommendations.templatetags.dashboard_links import ROW_FIGURES, figure, figure_cells
from tests.factories import PDUFactory


def _cells(group, table, cell):
    td = f'<td class="{cell} govuk-table__cell--numeric">'
    cells = [f"{td}{figure(group, name)}</td>" for name in ROW_FIGURES[table]]
    if table == "readiness":
        readiness = group.figures.readiness
        cells.append(f"{td}{'–' if readiness is None else f'{readiness}%'}</td>")
    return "\n" + "".join(f"{c}\n" for c in cells)


def test_a_units_row_links_each_figure_as_figure_does(db):
    unit = PDUFactory(name="Derby <City> & Co", slug="derby-city")
    figures = Figures(in_progress=3, overdue=1, red=2, recommendations=4, ready=1)
    group = UnitFigures(unit=unit, figures=figures, region_filters={"region": "east-midlands", "superseded": "current"})
    for table in ROW_FIGURES:
        assert figure_cells(group, table, "govuk-table__cell") == _cells(group, table, "govuk-table__cell")
    assert "Derby &lt;City&gt; &amp; Co" in figure_cells(group, "status", "govuk-table__cell")


def test_a_total_with_no_recommendations_shows_no_readiness(db):
    group = FigureGroup(name="every region", filters={"superseded": "current"}, figures=Figures())
    cells = figure_cells(group, "readiness", "govuk-table__header")
    assert cells == _cells(group, "readiness", "govuk-table__header")
    assert cells.endswith('<td class="govuk-table__header govuk-table__cell--numeric">–</td>\n')
