"""Who a person is at each sign-in provider."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Provider(models.TextChoices):
    HMPPS_AUTH = "hmpps-auth", "HMPPS Auth"
    ENTRA = "entra", "Microsoft Entra ID"


class ExternalIdentity(models.Model):
    """A person's stable id at a provider, and the tracker user it signs in as.

    Matched on the provider's id that never changes (`user_id` for HMPPS Auth, `oid` for
    Entra ID), never on a name or email address, which people change and providers reuse.
    """

    provider = models.CharField(max_length=20, choices=Provider.choices)
    subject = models.CharField(max_length=255, help_text="The provider's stable id for this person.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities")
    provider_username = models.CharField(max_length=255, blank=True, help_text="As the provider last gave it.")
    auth_source = models.CharField(
        max_length=40, blank=True, help_text="HMPPS Auth's account source: auth, azuread, delius or nomis."
    )
    provider_roles = models.JSONField(default=list, blank=True, help_text="Roles and groups at the last sign-in.")
    mapped_role = models.CharField(
        max_length=30,
        blank=True,
        help_text="The role SIGN_IN_ROLE_MAP gave at the last sign-in (taken away when the provider's role is).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "external identity"
        verbose_name_plural = "external identities"
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="externalidentity_one_user_per_subject"),
        ]

    def __str__(self):
        return f"{self.get_provider_display()}: {self.provider_username or self.subject}"
