"""The notifications page's form: how often reminders that are not urgent come."""

from django import forms

from recommendations.forms.govuk import GovUKForm

from .models import DigestFrequency


class ReminderFrequencyForm(GovUKForm):
    routine_reminders = forms.ChoiceField(
        label="How often do you want reminders about actions due soon and actions with no recent progress?",
        choices=[
            (DigestFrequency.DAILY, "Daily: on the morning they are due"),
            (DigestFrequency.WEEKLY, "Weekly: all together, once a week"),
        ],
        widget=forms.RadioSelect,
        help_text=(
            "Reminders about overdue actions, escalations, actions waiting for you to verify them "
            "and the next inspection always come on the day."
        ),
        error_messages={
            "required": "Select how often you want these reminders",
            "invalid_choice": "Select how often you want these reminders",
        },
    )
