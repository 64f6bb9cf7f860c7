"""Absolute links to the service's pages, for emails (which are read outside the site)."""

from django.conf import settings
from django.urls import reverse


def action_url(action_id: int) -> str:
    return f"{settings.SITE_URL}{reverse('recommendations:action_detail', args=[action_id])}"


def site_url() -> str:
    return f"{settings.SITE_URL}/"
