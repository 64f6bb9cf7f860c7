"""Reads for the sign-in pages and the admin."""

from django.contrib.auth import get_user_model

from recommendations.models import Role
from recommendations.scope import USER_HAS_ACCESS


def access_givers():
    """The administrators a new user can ask for access, by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, role=Role.ADMINISTRATOR)
        .only("first_name", "last_name", "username", "email")
        .order_by("last_name", "first_name")
    )


def users_waiting_for_access():
    """Active people who have signed in but have not yet been given a role (and unit)."""
    return get_user_model().objects.filter(is_active=True).exclude(USER_HAS_ACCESS)
