"""What the Inspectorate published, recorded as printed: a recommendation, word for word, with
every body it is addressed to. The report import and the admin's spreadsheet import both create
recommendations here."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Inspection, OrgUnit, Recommendation


def include_first_addressee(recommendation: Recommendation) -> None:
    """The body a recommendation names first is always one of its addressees."""
    recommendation.addressees.add(recommendation.addressed_to_id)


@transaction.atomic
def record_recommendation(
    *, inspection: Inspection, number: int, text: str, addressees: list[OrgUnit], by
) -> Recommendation:
    """Record a published recommendation under its number, addressed to `addressees`, the body
    named first first (a joint heading such as "the CRC and the NPS" names several)."""
    if not addressees:
        raise ValidationError({"addressed_to": "Choose the body the recommendation is addressed to."})
    recommendation = Recommendation(inspection=inspection, number=number, addressed_to=addressees[0], text=text)
    recommendation.full_clean()
    recommendation._history_user = by
    recommendation.save()
    recommendation.addressees.set(addressees)
    include_first_addressee(recommendation)
    return recommendation
