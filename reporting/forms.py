"""Forms in reporting: recording a new reading of a measure of impact."""

from django import forms

from recommendations.forms.govuk import GovUKDateField, GovUKForm


class MeasureReadingForm(GovUKForm):
    """Field checks only; the rules (range, no future dates) live in services.add_measure_reading."""

    taken_on = GovUKDateField(
        label="Date of the reading",
        error_name="date of the reading",
        help_text="The date the figure was measured, for example 31 3 2026",
    )
    value = forms.DecimalField(
        label="Value",
        max_digits=8,
        decimal_places=1,
        error_messages={
            "required": "Enter the value of the reading",
            "invalid": "Enter the value as a number, for example 52 or 52.5",
            "max_decimal_places": "Enter the value with no more than 1 decimal place",
            "max_digits": "Enter a smaller value",
            "max_whole_digits": "Enter a smaller value",
        },
    )
    source = forms.CharField(
        label="Source",
        max_length=200,
        help_text="Where the figure comes from, for example 'internal audit of 40 cases'",
        error_messages={"required": "Enter where the figure comes from"},
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        if measure.is_percentage:
            self.fields["value"].label = "Value (%)"
            self.fields["value"].help_text = "A percentage between 0 and 100"
