"""The action plan: SMART actions, their due-date revisions, progress log and evidence."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.lookups import IsNull
from django.utils.functional import cached_property
from django.utils.text import Truncator
from simple_history.models import HistoricalRecords

from .choices import CLOSED_STATUSES, OPEN_STATUSES, RAG, ActionStatus, EvidenceKind
from .inspections import Recommendation
from .plans import PlanState, ResponsePlan
from .rag import derive_rag, derived_rag_expression
from .units import NATIONAL_KINDS, OrgUnit, answering_region, in_region_lookup


def current_evidence(prefix: str = "") -> Q:
    """Evidence that has not been withdrawn (`prefix`: the path to it, e.g. "evidence__")."""
    return Q(**{f"{prefix}withdrawn_at__isnull": True})


def overdue(*, today, prefix: str = "") -> Q:
    """An action still open after its due date (`prefix`: the path to the action, e.g. "actions__")."""
    return Q(**{f"{prefix}status__in": OPEN_STATUSES, f"{prefix}due_date__lt": today})


def has_current_evidence():
    """An Action expression: true when the action has evidence that has not been withdrawn.

    Asked as "is there a first one?" rather than EXISTS: PostgreSQL answers an EXISTS over
    many rows by hashing all the evidence in the country first, even though the derived RAG
    asks only of the few open actions due soon; this is looked up for those rows alone.
    """
    first = Evidence.objects.filter(current_evidence(), action=OuterRef("pk")).order_by().values("pk")[:1]
    return IsNull(Subquery(first), False)


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, *, today):
        return self.filter(overdue(today=today))

    def with_has_evidence(self):
        """`has_evidence`: the action has current (not withdrawn) evidence."""
        return self.annotate(has_evidence=has_current_evidence())

    def with_evidence_count(self):
        """`evidence_count` of current evidence, and `has_evidence` read from it.

        For a page that shows the count anyway: one join and count rather than a count and a
        subquery for each action.
        """
        counted = self.annotate(evidence_count=Count("evidence", filter=current_evidence("evidence__")))
        return counted.annotate(has_evidence=Q(evidence_count__gt=0))

    def with_derived_rag(self, *, today, has_evidence=None):
        """`derived_rag`: the rating recommendations.models.rag.derive_rag gives each action."""
        has_evidence = has_current_evidence() if has_evidence is None else has_evidence
        return self.annotate(derived_rag=derived_rag_expression(today=today, has_evidence=has_evidence))

    def answering_for(self, units):
        """The actions whose figures `units`' figures hold: their own, and HMPPS's on an
        inspection of one of them (see units.answering_region)."""
        # Both arms test the action's own unit (`among`, recommendations.lookups), so that each is
        # an index scan: testing the national arm on the joined unit's kind made PostgreSQL read
        # every action of the status asked for in the country (a director's home, which lists
        # the actions to verify, took 148 ms at 500,000 actions, 76 ms this way).
        national = OrgUnit.objects.filter(kind__in=NATIONAL_KINDS).values("pk")
        return self.filter(Q(unit__among=units) | Q(unit__among=national, recommendation__inspection__unit__in=units))

    def in_figures_of(self, unit):
        """The actions `unit`'s figures count, as its dashboard's total and its progress chart do:
        those of the units it covers (itself, the units under it) and HMPPS's on their inspections
        (answering_for), but not those of dissolved bodies, which are counted apart as superseded."""
        return self.answering_for(OrgUnit.objects.under(unit)).exclude(unit__is_legacy=True)

    def in_answering_region(self, region):
        """The actions a region's figures hold (`answering_region`); `region` None: those outside every region."""
        where = answering_region(unit="unit__", inspected_unit="recommendation__inspection__unit__")
        return self.alias(answering_region_pk=where).filter(**in_region_lookup("answering_region_pk", region))

    def live(self):
        """Actions in force: not drafts in a response plan still awaiting sign-off.

        An action answers its unit's plan for the recommendation's inspection; with no plan
        row the unit never drafted one (the action was entered or imported), so it counts
        as approved. Reminders are sent about live actions only.
        """
        return self.exclude(Exists(_unapproved_plan()))

    def drafts(self):
        """Actions in a response plan not yet approved: the complement of `live`."""
        return self.filter(Exists(_unapproved_plan()))

    def with_is_draft(self):
        """`is_draft`: the action is a draft (see `drafts`), for lists that mark drafts."""
        return self.annotate(is_draft=Exists(_unapproved_plan()))


def _unapproved_plan():
    return ResponsePlan.objects.filter(
        inspection=OuterRef("recommendation__inspection"), unit=OuterRef("unit")
    ).exclude(state=PlanState.APPROVED)


class Action(models.Model):
    """A SMART step that answers a recommendation, with an owner and a timescale.

    `original_due_date` never changes after creation; `due_date` is the current one,
    and every change to it is a DueDateRevision with its reason. `version` is bumped
    on every save through the services so that two people editing at once cannot
    silently overwrite each other (optimistic concurrency).
    """

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="owned_actions"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="actions")
    success_measure = models.TextField(blank=True, help_text="How success will be measured.")
    start_date = models.DateField(null=True, blank=True)
    original_due_date = models.DateField()
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    self_rag = models.CharField("self-assessed RAG", max_length=5, choices=RAG.choices, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification_imported_from = models.CharField(
        max_length=300,
        blank=True,
        help_text="For an action verified before this service: the tracker and row its verification was "
        "imported from. Blank for a verification made here, against evidence.",
    )
    returned_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when a director returns a completed action for more evidence."
    )
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField(blank=True)
    last_update_at = models.DateTimeField(
        null=True, blank=True, help_text="When the latest progress update was logged (kept for fast lists)."
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "due_date", "id"]
        indexes = [
            models.Index(fields=["unit", "status", "due_date"], name="action_unit_status_due"),
            models.Index(fields=["owner", "status", "due_date"], name="action_owner_status_due"),
            models.Index(fields=["status", "due_date"], name="action_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ActionStatus.VERIFIED)
                | models.Q(verified_at__isnull=False, verified_by__isnull=False),
                name="action_verified_has_stamp",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[ActionStatus.COMPLETED, ActionStatus.VERIFIED])
                | models.Q(completed_at__isnull=False, completed_by__isnull=False),
                name="action_completed_has_stamp",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True) | models.Q(original_due_date__gte=models.F("start_date")),
                name="action_due_after_start",
            ),
        ]

    def __str__(self):
        # Cut at a word, with an ellipsis: the name appears in the admin and in change histories.
        return f"{self.recommendation} – {Truncator(self.description).words(10, truncate='…')}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_closed(self):
        return self.status in CLOSED_STATUSES

    def is_overdue(self, *, today):
        return self.is_open and self.due_date < today

    def days_overdue(self, *, today):
        return (today - self.due_date).days if self.is_overdue(today=today) else 0

    @cached_property
    def draft_plan(self) -> ResponsePlan | None:
        """The response plan awaiting sign-off that this action is a draft in; None for a live
        action (the Python form of ActionQuerySet.drafts, asked once for each action read)."""
        plans = ResponsePlan.objects.filter(inspection__recommendations=self.recommendation_id, unit_id=self.unit_id)
        return plans.exclude(state=PlanState.APPROVED).select_related("unit").first()

    @property
    def verified_before_service(self):
        """Verified in the tracker it was imported from, not here against evidence."""
        return bool(self.verified_at and self.verification_imported_from)

    @property
    def was_revised(self):
        return self.due_date != self.original_due_date

    def derived_rag(self, *, today, has_evidence):
        """The service's own RAG from dates, updates and evidence (see recommendations.models.rag)."""
        return derive_rag(
            status=self.status,
            due_date=self.due_date,
            last_activity_at=self.last_update_at or self.created_at,
            has_evidence=has_evidence,
            today=today,
        )


class DueDateRevision(models.Model):
    """A change to an action's due date, with the reason and who made it."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="due_date_revisions")
    previous_due_date = models.DateField()
    new_due_date = models.DateField()
    reason = models.TextField()
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revised_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "revised_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="duedaterevision_needs_reason"),
            models.CheckConstraint(
                condition=~models.Q(new_due_date=models.F("previous_due_date")),
                name="duedaterevision_changes_date",
            ),
        ]

    def __str__(self):
        return f"{self.previous_due_date} → {self.new_due_date}"


class ProgressUpdate(models.Model):
    """An entry in an action's append-only progress log: what was done, and status and RAG then."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    narrative = models.TextField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    rag = models.CharField("RAG", max_length=5, choices=RAG.choices, blank=True)
    is_closing = models.BooleanField(
        default=False, help_text="The update that closes the action: what was achieved and its impact."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "-created_at", "-id"]
        indexes = [models.Index(fields=["action", "-created_at"], name="update_action_created")]
        constraints = [models.CheckConstraint(condition=~models.Q(narrative=""), name="update_needs_narrative")]

    def __str__(self):
        return f"Update on {self.created_at:%d %b %Y} by {self.author}"

    def save(self, *args, **kwargs):
        # The log is append-only: an update, once written, is never rewritten.
        if self.pk is not None and not kwargs.pop("allow_rewrite", False):
            raise ValueError("Progress updates are append-only and cannot be changed.")
        super().save(*args, **kwargs)


def evidence_upload_to(instance, filename):
    # The stored name is ours, never the uploader's: a random name keeps the
    # original extension only, so nothing the uploader typed reaches the disk path.
    suffix = Path(filename).suffix.lower()[:10]
    return f"evidence/{uuid.uuid4().hex}{suffix}"


class EvidenceQuerySet(models.QuerySet):
    def current(self):
        return self.filter(current_evidence())


class Evidence(models.Model):
    """A document or link showing what an action achieved.

    Evidence is never deleted by ordinary users: withdrawing it keeps the record with
    who withdrew it and why.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    file = models.FileField(upload_to=evidence_upload_to, blank=True, max_length=200)
    url = models.URLField("link", blank=True, max_length=1000)
    original_filename = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    relates_to = models.DateField("date the evidence relates to", null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "-added_at", "-id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=EvidenceKind.FILE, url="") & ~models.Q(file="")
                | models.Q(kind=EvidenceKind.LINK, file="") & ~models.Q(url=""),
                name="evidence_file_xor_link",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | ~models.Q(withdrawal_reason=""),
                name="evidence_withdrawal_needs_reason",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None
