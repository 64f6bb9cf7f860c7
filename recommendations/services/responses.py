"""The addressee's answer to a recommendation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Recommendation, Response


def check_response(*, response: str, rationale: str) -> None:
    """Refuse an answer that is not agreed, partly agreed or not agreed, or a partial one without its reason.

    Errors are keyed "response" and "rationale", for the form that asked.
    """
    if response not in Response.values or response == Response.AWAITING:
        raise ValidationError({"response": "Choose agreed, partly agreed or not agreed."})
    if response in (Response.PARTLY_AGREED, Response.NOT_AGREED) and not rationale.strip():
        raise ValidationError({"rationale": "Explain why the recommendation is not fully agreed."})


@transaction.atomic
def set_response(*, recommendation: Recommendation, response: str, rationale: str, by) -> Recommendation:
    """Record the addressee's answer to a recommendation: agreed, partly agreed or not agreed."""
    rationale = rationale.strip()
    check_response(response=response, rationale=rationale)
    recommendation.response = response
    recommendation.response_rationale = rationale
    recommendation.response_recorded_by = by
    recommendation.response_recorded_at = timezone.now()
    recommendation._history_user = by
    recommendation.save()
    return recommendation
