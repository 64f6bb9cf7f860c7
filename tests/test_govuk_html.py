"""The selects and table cells the service writes in Python say what Django's and django-tables2's templates said."""

import re

from django import forms

from recommendations.forms.govuk import GovUKForm
from recommendations.tables.action_plan import GovUKColumn, GovUKTable

OPTION = re.compile(r'<option value="(.*?)"( selected)?>(.*?)</option>')


class _Pick(GovUKForm):
    animal = forms.ChoiceField(
        choices=[("", "Any"), ("cat", "Cat"), ("tom", "Tom & <Jerry>"), ("pets", [("dog", "Dog"), ("fish", "Fish")])],
        help_text="Choose one",
    )


def test_a_select_offers_the_options_djangos_own_widget_offers_with_the_same_one_selected():
    field = _Pick({"animal": "tom"})["animal"]
    ours = field.select
    assert OPTION.findall(ours) == OPTION.findall(field.as_widget())
    assert '<option value="tom" selected>Tom &amp; &lt;Jerry&gt;</option>' in ours
    assert '<optgroup label="pets">' in ours and '<option value="fish">Fish</option>' in ours


def test_a_select_carries_the_govuk_class_its_id_name_and_description():
    field = _Pick({"animal": "nothing"})["animal"]
    html = field.select
    assert html.startswith("<select ") and html.endswith("</select>")
    for attribute in (
        'name="animal"',
        'id="id_animal"',
        'class="govuk-select govuk-select--error"',
        'aria-describedby="id_animal-hint id_animal-error"',
    ):
        assert attribute in html
    assert " selected" not in html


class _Plants(GovUKTable):
    name = GovUKColumn()
    count = GovUKColumn(numeric=True)
    note = GovUKColumn()

    class Meta(GovUKTable.Meta):
        pass


def test_a_tables_cells_carry_their_columns_classes_and_their_values_escaped():
    table = _Plants([{"name": "Fern <b>", "count": 3, "note": "kept"}])
    table.columns["note"].column.screen_only_hidden = True
    (row,) = table.rows_html()
    assert row.startswith('<tr class="govuk-table__row ')
    assert row[row.index(">") + 1 :] == (
        '<td class="govuk-table__cell">Fern &lt;b&gt;</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>'
        '<td class="govuk-table__cell" data-print-only>kept</td>'
        "</tr>"
    )
