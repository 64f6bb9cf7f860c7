"""The version of an action as stored now: what a user opening its page would see."""

from recommendations.models import Action


def seen_version(action) -> int:
    return Action.objects.values_list("version", flat=True).get(pk=action.pk)
