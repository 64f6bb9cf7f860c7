"""A unit's response plan to an inspection, and its sign-off.

The unit an inspection's recommendations are addressed to drafts its response to each of
them and the actions that answer them, then submits the plan; the unit above signs it off
(a PDU's by its regional director; a region's and HMPPS's own by HMPPS). Until a plan is
approved its actions are drafts: nothing reminds anyone about them.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .inspections import Inspection
from .units import OrgUnit


class PlanState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for sign-off"
    RETURNED = "returned", "Returned with comments"
    APPROVED = "approved", "Approved"


# States in which the unit may still change its draft responses and actions.
EDITABLE_PLAN_STATES = (PlanState.DRAFT, PlanState.RETURNED)


class ResponsePlan(models.Model):
    """One unit's response to the recommendations one inspection addressed to it.

    A recommendation made to a body dissolved in 2021 is answered in the plan of the unit
    that took over its work. An inspection and unit without a plan row have not started
    drafting: their actions (entered by an administrator or imported) count as approved.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="response_plans")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="response_plans")
    state = models.CharField(max_length=20, choices=PlanState.choices, default=PlanState.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "unit"], name="responseplan_one_per_unit"),
            models.CheckConstraint(
                condition=~models.Q(state=PlanState.APPROVED) | models.Q(approved_at__isnull=False),
                name="responseplan_approved_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=PlanState.SUBMITTED) | models.Q(submitted_at__isnull=False),
                name="responseplan_submitted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.unit.display_name}'s response to {self.inspection}"

    @property
    def is_editable(self):
        return self.state in EDITABLE_PLAN_STATES

    @property
    def is_approved(self):
        return self.state == PlanState.APPROVED


class PlanEvent(models.Model):
    """A step in a plan's sign-off: submitted, returned with comments, or approved."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for sign-off"
        RETURNED = "returned", "Returned with comments"
        APPROVED = "approved", "Approved"

    plan = models.ForeignKey(ResponsePlan, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="returned") | ~models.Q(comment=""), name="planevent_return_needs_comment"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.by} on {self.at:%d %b %Y}"
