"""The addressee's answer to a recommendation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Recommendation, Response


@transaction.atomic
def set_response(*, recommendation: Recommendation, response: str, rationale: str, by) -> Recommendation:
    """Record the addressee's answer to a recommendation: agreed, partly agreed or not agreed."""
    rationale = rationale.strip()
    if response not in Response.values or response == Response.AWAITING:
        raise ValidationError({"response": "Choose agreed, partly agreed or not agreed."})
    if response in (Response.PARTLY_AGREED, Response.NOT_AGREED) and not rationale:
        raise ValidationError({"rationale": "Explain why the recommendation is not fully agreed."})
    recommendation.response = response
    recommendation.response_rationale = rationale
    recommendation.response_recorded_by = by
    recommendation.response_recorded_at = timezone.now()
    recommendation._history_user = by
    recommendation.save()
    return recommendation
