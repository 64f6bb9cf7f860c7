"""Where the service's pages for an action, a recommendation and an inspection live.

Reports, calendar events and evidence packs link back to these pages.
"""

from django.urls import reverse


def action_path(action) -> str:
    return reverse("recommendations:action_detail", args=[action.pk])


def recommendation_path(recommendation) -> str:
    return reverse("recommendations:recommendation_detail", args=[recommendation.pk])


def inspection_path(inspection) -> str:
    return reverse("recommendations:inspection_detail", args=[inspection.pk])
