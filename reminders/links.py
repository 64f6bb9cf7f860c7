"""Absolute links to the service's pages, for emails (which are read outside the site)."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def action_url(action_id: int) -> str:
    try:
        path = reverse("recommendations:action_detail", args=[action_id])
    except NoReverseMatch:
        path = f"/actions/{action_id}/"
    return f"{settings.SITE_URL}{path}"


def site_url() -> str:
    return f"{settings.SITE_URL}/"
