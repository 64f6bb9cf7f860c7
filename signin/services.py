"""Recording a sign-in through a provider: the user it signs in as, and what the provider's roles give."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from .identities import SignInRefused, VerifiedIdentity, required_role
from .models import ExternalIdentity, Provider


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.strip().rpartition(" ")
    return (first, last) if first else (last, "")


def _free_username(wanted: str) -> str:
    User = get_user_model()
    base = (wanted or "user")[:140]
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _mapped_role(roles: list[str]) -> str:
    """The tracker role that SIGN_IN_ROLE_MAP gives for the first of its provider roles the person has."""
    for provider_role, tracker_role in settings.SIGN_IN_ROLE_MAP.items():
        if provider_role in roles:
            return tracker_role
    return ""


def _identity_for_update(identity: VerifiedIdentity) -> ExternalIdentity | None:
    return (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(provider=identity.provider, subject=identity.subject)
        .first()
    )


def _create_identity(identity: VerifiedIdentity) -> ExternalIdentity:
    """A new user with no role and no unit (so no access yet), and their identity at the provider."""
    User = get_user_model()
    first_name, last_name = _split_name(identity.name)
    try:
        with transaction.atomic():
            user = User(
                username=_free_username(identity.username),
                first_name=first_name[:150],
                last_name=last_name[:150],
                email=identity.email,
            )
            user.set_unusable_password()
            user.save()
            return ExternalIdentity.objects.create(provider=identity.provider, subject=identity.subject, user=user)
    except IntegrityError:
        # The same person's first sign-in in another tab got there first: use theirs.
        return _identity_for_update(identity)


@transaction.atomic
def record_sign_in(*, identity: VerifiedIdentity):
    """The user this verified identity signs in as, or why the sign-in is refused.

    Returns `(user, refusal)`: refusal is a SignInRefused (not raised, so that what it
    records is kept) or None. The user is created at the first sign-in with no role and no
    unit, so no access yet. A role the provider took away takes away what it gave: without
    the service's required role (HMPPS_AUTH_ROLE, ENTRA_ROLE) the sign-in is refused, and a
    tracker role given by SIGN_IN_ROLE_MAP is removed when its provider role is.
    """
    needed = required_role(identity.provider)
    allowed = not needed or needed in identity.roles
    mapped = _mapped_role(identity.roles) if allowed else ""
    external = _identity_for_update(identity)
    if external is None:
        if not allowed:
            return None, _no_provider_role(identity)
        external = _create_identity(identity)
    user = external.user
    if external.mapped_role and user.role == external.mapped_role and user.role != mapped:
        user.role = ""
    if mapped:
        user.role = mapped
    first_name, last_name = _split_name(identity.name)
    user.first_name = first_name[:150] or user.first_name
    user.last_name = last_name[:150] or user.last_name
    user.email = identity.email or user.email
    user.save(update_fields=["role", "first_name", "last_name", "email"])
    external.provider_username = identity.username[:255]
    external.auth_source = identity.auth_source[:40]
    external.provider_roles = identity.roles
    external.mapped_role = mapped
    if allowed and user.is_active:
        external.last_signed_in_at = timezone.now()
    external.save()
    if not allowed:
        return None, _no_provider_role(identity)
    if not user.is_active:
        return None, SignInRefused(
            "Your account in this service has been deactivated. Ask an administrator to restore it.",
            title="Your account has been deactivated",
        )
    return user, None


def _no_provider_role(identity: VerifiedIdentity) -> SignInRefused:
    return SignInRefused(
        f"Your {Provider(identity.provider).label} account does not have the role that gives access to this "
        "service. Ask your line manager or the service's administrators to request it for you.",
        title="You do not have access to this service",
    )
