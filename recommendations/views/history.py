"""The change history pages of an action and of a recommendation."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import scope
from ..selectors.actions import get_visible_action
from ..selectors.history import action_history, recommendation_history
from ..selectors.recommendations import get_visible_recommendation


def _page(request, obj, entries, **context):
    if not scope.can_view_history(request.user, obj):
        return render(request, "recommendations/history_forbidden.html", {"object": obj, **context}, status=403)
    return render(request, "recommendations/history.html", {"object": obj, "entries": entries(), **context})


@require_safe
def action_history_page(request, pk):
    action = get_visible_action(user=request.user, pk=pk)
    return _page(request, action, lambda: action_history(action), action=action, kind="action")


@require_safe
def recommendation_history_page(request, pk):
    recommendation = get_visible_recommendation(user=request.user, pk=pk)
    return _page(
        request,
        recommendation,
        lambda: recommendation_history(recommendation),
        recommendation=recommendation,
        kind="recommendation",
    )
