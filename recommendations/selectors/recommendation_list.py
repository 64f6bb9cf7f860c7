"""The recommendations list: every recommendation a user can see, filtered, with whether each is done."""

from ..filters.recommendations import RecommendationFilter
from ..scope import recommendations_visible_to
from .action_plan import UNANSWERED_ORDERING, addressee_count


def recommendation_list(*, user, params) -> RecommendationFilter:
    """The filterset over the user's recommendations (its `.qs` the rows, its form the filters).

    Each row is annotated `done` (RecommendationQuerySet.with_done), as the dashboards count it.
    Invalid filter values are ignored here and reported by the form's errors.
    """
    recommendations = (
        recommendations_visible_to(user)
        .with_done()
        .select_related("inspection", "addressed_to")
        .annotate(addressee_count=addressee_count())
        .order_by(*UNANSWERED_ORDERING)
    )
    filterset = RecommendationFilter(params, queryset=recommendations, user=user)
    filterset.is_valid()
    return filterset
