"""Measures of impact as shown on pages: baseline, target, latest reading and the chart."""

from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery

from recommendations.scope import recommendations_visible_to

from ..charts import LineChart, ReferenceLine, Series, line_chart
from ..models import Measure, MeasureReading


@dataclass
class MeasureSummary:
    measure: Measure
    readings: list[MeasureReading]
    chart: LineChart

    @property
    def latest(self):
        return self.readings[-1] if self.readings else None

    @property
    def change_from_baseline(self):
        """The latest reading less the baseline (positive is better for every measure we keep)."""
        if self.latest is None or self.measure.baseline is None:
            return None
        return self.latest.value - self.measure.baseline

    @property
    def target_met(self):
        return self.latest is not None and self.measure.target is not None and self.latest.value >= self.measure.target


@dataclass
class KeyQuestionFollowUps:
    """An inspection's key questions, each with the measures of impact that follow its figure."""

    rows: list  # [(KeyQuestionResult, [Measure with latest_value, latest_taken_on, latest_source])]

    @property
    def any_followed(self):
        return any(measures for _, measures in self.rows)


def measures_visible_to(user):
    """Measures on at least one recommendation the user can see."""
    visible = recommendations_visible_to(user).values("pk")
    return Measure.objects.filter(
        pk__in=Measure.recommendations.through.objects.filter(recommendation_id__in=visible).values("measure_id")
    )


def measure_chart(measure: Measure, readings: list[MeasureReading]) -> LineChart:
    values = [(r.taken_on, r.value) for r in readings]
    if measure.baseline is not None and measure.baseline_date is not None:
        values = [(measure.baseline_date, measure.baseline), *values]
    references = [ReferenceLine("Target", measure.target)] if measure.target is not None else []
    described = ", ".join(f"{day:%d %b %Y}: {measure.format_value(value)}" for day, value in values)
    return line_chart(
        chart_id=f"measure-{measure.pk}",
        title=f"{measure.name}: baseline and readings over time",
        description=(
            f"Baseline {measure.format_value(measure.baseline)}, target {measure.format_value(measure.target)}. "
            f"Readings: {described or 'none yet'}."
        ),
        series=[Series("Baseline and readings", values)],
        references=references,
        y_max=100 if measure.is_percentage else None,
        format_value=measure.format_value,
    )


def measure_summaries(measures) -> list[MeasureSummary]:
    """Summaries for a queryset of measures, in two queries whatever their number."""
    measures = measures.select_related("unit", "key_question").prefetch_related(
        Prefetch("readings", queryset=MeasureReading.objects.select_related("recorded_by").order_by("taken_on", "id"))
    )
    summaries = []
    for measure in measures:
        readings = list(measure.readings.all())
        summaries.append(MeasureSummary(measure, readings, measure_chart(measure, readings)))
    return summaries


def measures_for_recommendation(user, recommendation) -> list[MeasureSummary]:
    return measure_summaries(measures_visible_to(user).filter(recommendations=recommendation).order_by("name"))


def measures_for_units(user, units) -> list[MeasureSummary]:
    return measure_summaries(measures_visible_to(user).filter(unit__in=units).order_by("unit__name", "name"))


def key_question_follow_ups(user, key_questions) -> KeyQuestionFollowUps:
    """The measures the user can see that follow each key question, with their latest readings, in one query.

    A director preparing for the next inspection reads the published figure beside the
    latest one: the evidence of impact the Inspectorate asks for.
    """
    latest = MeasureReading.objects.filter(measure=OuterRef("pk")).order_by("-taken_on", "-id")
    measures = (
        measures_visible_to(user)
        .filter(key_question__in=[question.pk for question in key_questions])
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_taken_on=Subquery(latest.values("taken_on")[:1]),
            latest_source=Subquery(latest.values("source")[:1]),
        )
        .select_related("unit")
        .order_by("unit__name", "name", "pk")
    )
    following: dict = {}
    for measure in measures:
        following.setdefault(measure.key_question_id, []).append(measure)
    return KeyQuestionFollowUps([(question, following.get(question.pk, [])) for question in key_questions])
