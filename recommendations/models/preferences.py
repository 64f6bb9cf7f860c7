"""What a person chose to see, remembered from one sign-in to the next."""

from django.conf import settings
from django.db import models


class PlanColumnChoice(models.Model):
    """The columns of the action plan a person chose to show (tables.action_plan.CHOOSABLE_COLUMNS)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="plan_column_choice"
    )
    columns = models.JSONField(default=list, help_text="The names of the chosen columns, in the table's order.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "action plan column choice"

    def __str__(self):
        return f"{self.user}: {', '.join(self.columns) or 'no optional columns'}"
