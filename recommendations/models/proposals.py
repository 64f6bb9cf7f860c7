"""A new due date proposed by the unit for an approved action, decided by whoever manages the plan."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .actions import Action


class ProposalState(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class DueDateProposal(models.Model):
    """Once a plan is approved its dates are promised: the unit proposes a change, with a reason,
    and the regional director (HMPPS for its own) approves it, when it becomes a due-date
    revision, or rejects it, saying why."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="due_date_proposals")
    proposed_due_date = models.DateField()
    reason = models.TextField()
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=ProposalState.choices, default=ProposalState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="duedateproposal_needs_reason"),
            models.UniqueConstraint(
                fields=["action"],
                condition=models.Q(state="pending"),
                name="duedateproposal_one_pending_per_action",
            ),
            models.CheckConstraint(
                condition=models.Q(state="pending") | models.Q(decided_at__isnull=False, decided_by__isnull=False),
                name="duedateproposal_decision_is_stamped",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="rejected") | ~models.Q(decision_comment=""),
                name="duedateproposal_rejection_needs_reason",
            ),
        ]

    def __str__(self):
        return f"Proposed due date {self.proposed_due_date} ({self.get_state_display()})"
