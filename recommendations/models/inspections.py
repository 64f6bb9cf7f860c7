"""What the Inspectorate published: inspections, ratings, key questions, recommendations."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef
from simple_history.models import HistoricalRecords

from .choices import ActionStatus, InspectionKind, Rating, Response
from .units import NATIONAL_KINDS, OrgUnit, answering_region, in_region_lookup


class Inspection(models.Model):
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(max_length=20, choices=InspectionKind.choices)
    title = models.CharField(max_length=300)
    fieldwork_start = models.DateField(null=True, blank=True)
    fieldwork_end = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    lead_inspector = models.CharField(max_length=200, blank=True)
    overall_rating = models.CharField(max_length=30, choices=Rating.choices, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    score_out_of = models.PositiveSmallIntegerField(null=True, blank=True)
    source_document = models.CharField(
        max_length=200, blank=True, help_text="The published document this record is taken from."
    )
    source_url = models.URLField(blank=True)
    summary = models.TextField(blank=True)
    next_inspection_expected = models.DateField(
        null=True, blank=True, help_text="When the next inspection of this unit is expected."
    )
    related_inspections = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        help_text="E.g. a regional review and the PDU inspections it draws on.",
    )

    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fieldwork_end__isnull=True)
                | models.Q(fieldwork_start__isnull=True)
                | models.Q(fieldwork_end__gte=models.F("fieldwork_start")),
                name="inspection_fieldwork_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True)
                | models.Q(score_out_of__isnull=False, score__lte=models.F("score_out_of")),
                name="inspection_score_within_maximum",
            ),
        ]

    def __str__(self):
        year = self.published_on.year if self.published_on else ""
        return f"{self.title} ({year})" if year else self.title

    @property
    def source_title(self):
        """The published document's title as readers know it.

        A record taken from a stored copy names that file first ("000_ab12.txt – Title"), for
        tracing it back; readers need only the title.
        """
        name, separator, title = self.source_document.partition(" – ")
        return title if separator and " " not in name and "." in name else self.source_document

    @property
    def score_display(self):
        if self.score is None:
            return ""
        return f"{self.score}/{self.score_out_of}"


class StandardRating(models.Model):
    """One standard's rating in an inspection, e.g. '2.2 Assessment': Inadequate."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="standard_ratings")
    domain = models.CharField(max_length=120, blank=True, help_text="E.g. 'Organisational delivery'.")
    code = models.CharField(max_length=10, help_text="E.g. '2.2'.")
    name = models.CharField(max_length=200)
    rating = models.CharField(max_length=30, choices=Rating.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "code"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "code"], name="standardrating_unique_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}: {self.get_rating_display()}"


class KeyQuestionResult(models.Model):
    """A published key-question percentage: the share of inspected cases answered 'Yes'."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="key_questions")
    standard = models.ForeignKey(
        StandardRating, null=True, blank=True, on_delete=models.SET_NULL, related_name="key_questions"
    )
    section = models.CharField(max_length=200, blank=True, help_text="E.g. 'Assessment' or 'Planning'.")
    question = models.TextField()
    percentage = models.DecimalField(
        max_digits=4, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percentage__gte=0, percentage__lte=100),
                name="keyquestion_percentage_range",
            ),
        ]

    def __str__(self):
        return f"{self.question} {self.percentage}%"


class Theme(models.Model):
    """A recurring subject of recommendations, e.g. management oversight."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def is_done(statuses) -> bool:
    """A recommendation is done when its actions are all verified or cancelled, at least one verified.

    `statuses`: those of its actions. The database form is `recommendation_done()`.
    """
    statuses = list(statuses)
    return ActionStatus.VERIFIED in statuses and all(
        s in (ActionStatus.VERIFIED, ActionStatus.CANCELLED) for s in statuses
    )


def recommendation_done():
    """A Recommendation expression equal to `is_done` of its actions' statuses."""
    # The action model is reached through the relation: it is defined on top of this module.
    actions = Recommendation._meta.get_field("actions").related_model.objects.filter(recommendation=OuterRef("pk"))
    verified = Exists(actions.filter(status=ActionStatus.VERIFIED))
    unfinished = Exists(actions.exclude(status__in=[ActionStatus.VERIFIED, ActionStatus.CANCELLED]))
    return ExpressionWrapper(verified & ~unfinished, output_field=models.BooleanField())


def joint_label(units, *, first_pk=None, short: bool = False) -> str:
    """Every addressee of a recommendation as one label, the one named first first and the
    others by name, joined by "and": "Derbyshire, Nottinghamshire, Leicestershire and Rutland
    CRC and National Probation Service – Midlands division". `short`: their short names, for tables."""
    return " and ".join(unit.display_name if short else unit.name for unit in _named_first(units, first_pk))


def _named_first(units, first_pk) -> list:
    return sorted(units, key=lambda unit: (unit.pk != first_pk, unit.name))


def addressed_to_any(units) -> models.Q:
    """A Recommendation condition: addressed to one of `units` (pks, units or a pk query), alone or jointly.

    Asked through the addressees table, so that a recommendation is never repeated when it
    is addressed to several of them.
    """
    through = Recommendation.addressees.through.objects.filter(orgunit__in=units)
    return models.Q(pk__in=through.values("recommendation_id"))


class RecommendationQuerySet(models.QuerySet):
    def addressed_to_any(self, units):
        """Recommendations addressed to one of `units`, alone or jointly (see addressed_to_any)."""
        return self.filter(addressed_to_any(units))

    def answering_for(self, units):
        """The recommendations whose figures `units`' figures hold: addressed to one of them, or
        to HMPPS on an inspection of one of them (see units.answering_region)."""
        national = OrgUnit.objects.filter(kind__in=NATIONAL_KINDS).values("pk")
        return self.filter(addressed_to_any(units) | addressed_to_any(national) & models.Q(inspection__unit__in=units))

    def in_answering_region(self, region):
        """The recommendations a region's figures hold (`answering_region`, through any addressee);
        `region` None: those outside every region."""
        where = answering_region(unit="addressees__", inspected_unit="inspection__unit__")
        held = Recommendation.objects.alias(answering_region_pk=where).filter(
            **in_region_lookup("answering_region_pk", region)
        )
        return self.filter(pk__in=held.values("pk"))

    def with_done(self):
        """`done`: ready for the next inspection (see is_done)."""
        return self.annotate(done=recommendation_done())


class Recommendation(models.Model):
    """A numbered recommendation, word for word as published, and the addressee's response.

    The response (agreed / partly agreed / not agreed) is kept apart from progress:
    progress lives on the recommendation's actions.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    addressed_to = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="recommendations",
        help_text="The body named first; with others in `addressees` when it is addressed jointly.",
    )
    addressees = models.ManyToManyField(
        OrgUnit,
        related_name="addressed_recommendations",
        blank=True,
        help_text="Every body the recommendation is addressed to, the one named first among them.",
    )
    text = models.TextField(help_text="Exactly as printed in the published report.")
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations")
    response = models.CharField(max_length=20, choices=Response.choices, blank=True, default="")
    response_rationale = models.TextField(blank=True)
    response_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response_recorded_at = models.DateTimeField(null=True, blank=True)

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "number"], name="recommendation_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="recommendation_number_positive"),
        ]

    def __str__(self):
        return f"{self.inspection.title} – recommendation {self.number}"

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            # The body named first is always one of the addressees.
            self.addressees.add(self.addressed_to_id)

    @property
    def label(self):
        return f"Recommendation {self.number}"

    def addressees_in_order(self) -> list:
        """Every addressee, the one named first first, then the others by name."""
        return _named_first(self.addressees.all(), self.addressed_to_id)

    @property
    def addressee_names(self) -> str:
        """Every addressee by full name, the first named first (see joint_label)."""
        return joint_label(self.addressees.all(), first_pk=self.addressed_to_id)

    @property
    def addressee_short_names(self) -> str:
        """Every addressee by short name where it has one, for tables (see joint_label)."""
        return joint_label(self.addressees.all(), first_pk=self.addressed_to_id, short=True)
