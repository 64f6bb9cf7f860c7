"""The inspection page: ratings, key questions and the recommendations the user may see."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from .. import scope
from ..models import ActionStatus, Inspection, KeyQuestionResult, StandardRating
from ..models.actions import current_evidence

DONE_STATUSES = (ActionStatus.COMPLETED, ActionStatus.VERIFIED)


@dataclass
class InspectionPage:
    inspection: Inspection
    standard_ratings: list
    key_questions: list
    recommendations: list
    related_inspections: list


def recommendations_with_progress(recommendations):
    """Annotate actions_total (not cancelled), actions_done (completed or verified) and evidence_count."""
    return (
        recommendations.select_related("addressed_to", "response_recorded_by")
        .prefetch_related("themes", "addressees")
        .annotate(
            actions_total=Count("actions", filter=~Q(actions__status=ActionStatus.CANCELLED), distinct=True),
            actions_done=Count("actions", filter=Q(actions__status__in=DONE_STATUSES), distinct=True),
            evidence_count=Count(
                "actions__evidence",
                filter=current_evidence("actions__evidence__") & ~Q(actions__status=ActionStatus.CANCELLED),
                distinct=True,
            ),
        )
        .order_by("number")
    )


def inspection_page(*, user, pk: int) -> InspectionPage:
    """Six queries: the inspection, standards, key questions, recommendations, their themes, related."""
    inspection = get_object_or_404(scope.inspections_visible_to(user).select_related("unit"), pk=pk)
    standards = list(StandardRating.objects.filter(inspection=inspection).order_by("code"))
    key_questions = list(
        KeyQuestionResult.objects.filter(inspection=inspection).select_related("standard").order_by("order", "id")
    )
    recommendations = list(
        recommendations_with_progress(scope.recommendations_visible_to(user).filter(inspection=inspection))
    )
    related = list(
        scope.inspections_visible_to(user)
        .filter(related_inspections=inspection)
        .select_related("unit")
        .order_by("-published_on", "title")
    )
    return InspectionPage(
        inspection=inspection,
        standard_ratings=standards,
        key_questions=key_questions,
        recommendations=recommendations,
        related_inspections=related,
    )


INSPECTIONS_PER_PAGE = 50


def inspections_list(*, user):
    """The inspections the user may see, newest first, with the unit inspected.

    Only what the list shows is read: the summary and source text stay in the database.
    """
    return (
        scope.inspections_visible_to(user)
        .select_related("unit")
        .only(
            "title",
            "kind",
            "published_on",
            "overall_rating",
            "score",
            "score_out_of",
            "next_inspection_expected",
            "unit__name",
            "unit__short_name",
        )
        .order_by("-published_on", "title", "pk")
    )
