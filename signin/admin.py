"""External identities in the admin, and the filter of people waiting for access."""

from django.contrib import admin

from recommendations.scope import USER_HAS_ACCESS

from .models import ExternalIdentity

READ_ONLY_FIELDS = (
    "provider",
    "subject",
    "provider_username",
    "auth_source",
    "provider_roles",
    "mapped_role",
    "created_at",
    "last_signed_in_at",
)


class WaitingForAccessFilter(admin.SimpleListFilter):
    """People who have signed in but whom nobody has yet given a role (and unit)."""

    title = "access"
    parameter_name = "access"

    def lookups(self, request, model_admin):
        return [("waiting", "Waiting for access"), ("given", "Has access")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(is_active=True).exclude(USER_HAS_ACCESS)
        if self.value() == "given":
            return queryset.filter(USER_HAS_ACCESS)
        return queryset


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ("user", "provider", "provider_username", "auth_source", "last_signed_in_at")
    list_filter = ("provider", "auth_source")
    search_fields = ("subject", "provider_username", "user__username", "user__first_name", "user__last_name")
    list_select_related = ("user",)
    readonly_fields = READ_ONLY_FIELDS
    fields = ("user", *READ_ONLY_FIELDS)
    autocomplete_fields = ("user",)

    def has_add_permission(self, request):
        return False
