"""Forms on the recommendation page: the response, and a new action."""

from django import forms

from ..models import Response
from .govuk import GovUKDateField, GovUKForm, text_field

RESPONSE_CHOICES = [(value, label) for value, label in Response.choices if value]


class ResponseForm(GovUKForm):
    response = forms.ChoiceField(
        label="What is the response to this recommendation?",
        choices=RESPONSE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose agreed, partly agreed or not agreed"},
    )
    rationale = text_field(
        label="Rationale",
        error_name="the rationale",
        max_length=5000,
        required=False,
        help_text="Required when the recommendation is partly agreed or not agreed.",
    )


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        unit = f" ({user.unit.display_name})" if user.unit_id else ""
        return f"{user}{unit}"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.name


class ActionDetailsForm(GovUKForm):
    """What an action is and who owns it; the due date is set once, then revised with a reason."""

    description = text_field(
        label="Action",
        error_name="the action",
        max_length=2000,
        help_text="A specific, measurable step that answers the recommendation.",
    )
    owner = OwnerChoiceField(
        label="Owner",
        queryset=None,
        empty_label="Choose an owner",
        error_messages={"required": "Choose who owns this action", "invalid_choice": "Choose an owner from the list"},
    )
    success_measure = text_field(
        label="How will success be measured?",
        error_name="how success will be measured",
        max_length=2000,
        help_text="The difference it should make, for example a key-question percentage to reach.",
    )
    start_date = GovUKDateField(
        label="Start date", error_name="start date", required=False, help_text="For example, 1 6 2026"
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class NewActionForm(ActionDetailsForm):
    unit = UnitChoiceField(
        label="Owning unit",
        queryset=None,
        empty_label="Choose a unit",
        error_messages={"required": "Choose the unit that owns this action", "invalid_choice": "Choose a unit"},
    )
    due_date = GovUKDateField(
        label="Due date", error_name="due date", allow_past=False, help_text="For example, 31 3 2027"
    )

    field_order = ["description", "unit", "owner", "success_measure", "start_date", "due_date"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date must be the same as or after the start date")
        return cleaned
