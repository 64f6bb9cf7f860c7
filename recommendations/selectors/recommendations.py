"""The recommendation page: the published text, the response, and the actions answering it."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from .. import scope
from ..models import ActionStatus, OrgUnit, Recommendation, User
from ..models.inspections import is_done
from .annotations import attach_rag


class Progress:
    """The recommendation's overall status, derived from its actions (cancelled ones aside)."""

    NO_ACTIONS = "no_actions", "No actions yet", "govuk-tag--grey"
    NOT_STARTED = "not_started", "Not started", "govuk-tag--grey"
    IN_PROGRESS = "in_progress", "In progress", "govuk-tag--blue"
    AWAITING_VERIFICATION = "awaiting_verification", "All actions complete – awaiting verification", "govuk-tag--yellow"
    VERIFIED = "verified", "All actions verified", "govuk-tag--green"


@dataclass(frozen=True)
class RecommendationProgress:
    code: str
    label: str
    tag_class: str
    total: int
    done: int
    verified: int


def recommendation_progress(actions) -> RecommendationProgress:
    live = [a for a in actions if a.status != ActionStatus.CANCELLED]
    verified = sum(a.status == ActionStatus.VERIFIED for a in live)
    done = sum(a.status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED) for a in live)
    if not live:
        state = Progress.NO_ACTIONS
    elif is_done(a.status for a in actions):
        state = Progress.VERIFIED
    elif done == len(live):
        state = Progress.AWAITING_VERIFICATION
    elif all(a.status == ActionStatus.NOT_STARTED for a in live):
        state = Progress.NOT_STARTED
    else:
        state = Progress.IN_PROGRESS
    code, label, tag_class = state
    return RecommendationProgress(code, label, tag_class, total=len(live), done=done, verified=verified)


@dataclass
class RecommendationPage:
    recommendation: Recommendation
    actions: list
    progress: RecommendationProgress
    can_manage: bool
    can_view_history: bool = False


# What the page's table of actions shows, its progress and derived RAG read: the rest of each
# action, its owner and unit is left in the database.
ACTION_ROW_FIELDS = (
    "recommendation_id",
    "description",
    "due_date",
    "original_due_date",
    "status",
    "self_rag",
    "last_update_at",
    "created_at",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    "unit__name",
    "unit__short_name",
)


def get_visible_recommendation(*, user, pk: int) -> Recommendation:
    return get_object_or_404(
        scope.recommendations_visible_to(user)
        .select_related("inspection__unit", "addressed_to", "response_recorded_by")
        # Read once, with the units that took over any dissolved one, for the page's label, its
        # response plans and who may challenge and reply (scope).
        .prefetch_related(Prefetch("addressees", queryset=OrgUnit.objects.select_related("successor"))),
        pk=pk,
    )


def recommendation_page(*, user, recommendation: Recommendation, today) -> RecommendationPage:
    """The page of a recommendation read through get_visible_recommendation."""
    themes = list(recommendation.themes.all())
    actions = (
        scope.actions_on_visible_recommendation(recommendation)
        .select_related("owner", "unit")
        .only(*ACTION_ROW_FIELDS)
        .with_evidence_count()
        .with_is_draft()
    )
    actions = attach_rag(actions.order_by("due_date", "id"), today=today)
    recommendation.theme_list = themes
    return RecommendationPage(
        recommendation=recommendation,
        actions=actions,
        progress=recommendation_progress(actions),
        can_manage=scope.can_manage_plan(user, recommendation),
        can_view_history=scope.can_view_history(user, recommendation, known_visible=True),
    )


def units_for_new_actions(*, user):
    """Units that may own an action on this recommendation: current units the user edits."""
    return scope.editable_units(user).filter(is_legacy=False).order_by("kind", "name")


def owners_for_units(units):
    """People who may own an action: active members of the given units."""
    return (
        User.objects.filter(is_active=True, unit__in=units)
        .select_related("unit")
        .order_by("last_name", "first_name", "username")
    )


__all__ = [
    "Progress",
    "RecommendationPage",
    "RecommendationProgress",
    "get_visible_recommendation",
    "owners_for_units",
    "recommendation_progress",
    "recommendation_page",
    "units_for_new_actions",
]
