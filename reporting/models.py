"""Measures of impact and private calendar feeds.

A measure answers the Inspectorate's question "what difference did the actions make?":
it starts from a published baseline (usually a key-question percentage from the
inspection) and is read again over time, e.g. by internal case audits.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from recommendations.models import KeyQuestionResult, OrgUnit, Recommendation


class MeasureUnit(models.TextChoices):
    PERCENT = "percent", "%"
    NUMBER = "number", "number"


class Measure(models.Model):
    """Something to be measured again to show impact, e.g. a key-question percentage."""

    name = models.CharField(max_length=300, help_text="E.g. 'Assessment focuses on keeping other people safe'.")
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="measures", help_text="The unit whose work is measured."
    )
    recommendations = models.ManyToManyField(Recommendation, related_name="measures")
    key_question = models.ForeignKey(
        KeyQuestionResult,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
        help_text="The published key question this measure follows, if any; its percentage is the baseline.",
    )
    unit_of_measure = models.CharField(max_length=10, choices=MeasureUnit.choices, default=MeasureUnit.PERCENT)
    baseline = models.DecimalField(
        max_digits=8, decimal_places=1, null=True, blank=True, help_text="Leave blank to use the key question's."
    )
    baseline_date = models.DateField(null=True, blank=True, help_text="Leave blank to use the publication date.")
    baseline_source = models.CharField(max_length=200, blank=True)
    target = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(unit_of_measure="percent")
                | (models.Q(target__isnull=True) | models.Q(target__gte=0, target__lte=100))
                & (models.Q(baseline__isnull=True) | models.Q(baseline__gte=0, baseline__lte=100)),
                name="measure_percentages_in_range",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The published figure is the baseline unless someone recorded a different one.
        if self.key_question_id is not None:
            if self.baseline is None:
                self.baseline = self.key_question.percentage
            if self.baseline_date is None:
                self.baseline_date = self.key_question.inspection.published_on
            if not self.baseline_source:
                self.baseline_source = str(self.key_question.inspection)
        super().save(*args, **kwargs)

    @property
    def is_percentage(self):
        return self.unit_of_measure == MeasureUnit.PERCENT

    def format_value(self, value):
        if value is None:
            return ""
        text = f"{value:.1f}".removesuffix(".0")
        return f"{text}%" if self.is_percentage else text


class MeasureReading(models.Model):
    """One reading of a measure on a date, and where the figure came from."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="readings")
    taken_on = models.DateField("date")
    value = models.DecimalField(max_digits=8, decimal_places=1)
    source = models.CharField(max_length=200, help_text="E.g. 'internal audit of 40 cases'.")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "taken_on", "id"]
        indexes = [models.Index(fields=["measure", "taken_on"], name="reading_measure_date")]

    def __str__(self):
        return f"{self.measure}: {self.measure.format_value(self.value)} on {self.taken_on:%d %b %Y}"


class CalendarFeed(models.Model):
    """A user's private calendar subscription.

    Only a SHA-256 hash of the secret token is kept: the address is shown once, when
    made, and a leaked database does not give anyone a working feed address.
    Revoking deletes the row; regenerating replaces the hash.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    # Who made or revoked a feed, and when; not the secret's hash, nor each time it is read.
    history = HistoricalRecords(excluded_fields=["token_hash", "last_used_at"])

    def __str__(self):
        return f"Calendar feed for {self.user}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
