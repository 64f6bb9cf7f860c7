"""The notification log in the admin: read-only, for answering "was I told, and when?"."""

from django.contrib import admin

from .models import DigestMessage, NotificationLog, ReminderPreference


class ReadOnlyAdmin(admin.ModelAdmin):
    # The log is a record of what happened: nobody edits or deletes it by hand.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NotificationInline(admin.TabularInline):
    model = NotificationLog
    fields = ["kind", "action", "unit", "reason", "status", "attempts", "sent_at", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(NotificationLog)
class NotificationLogAdmin(ReadOnlyAdmin):
    list_display = ["for_date", "kind", "recipient_email", "about", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "for_date"]
    search_fields = ["recipient_email", "recipient__username", "recipient__last_name", "action__description", "reason"]
    date_hierarchy = "for_date"
    list_select_related = ["action__recommendation__inspection", "unit"]
    readonly_fields = [
        "kind",
        "action",
        "unit",
        "recipient",
        "recipient_email",
        "for_date",
        "lead_days",
        "reason",
        "details",
        "status",
        "attempts",
        "claimed_at",
        "sent_at",
        "error",
        "digest",
        "created_at",
    ]
    fields = readonly_fields

    @admin.display(description="About")
    def about(self, obj):
        return obj.action or obj.unit


@admin.register(DigestMessage)
class DigestMessageAdmin(ReadOnlyAdmin):
    list_display = ["for_date", "recipient", "subject", "sent_at"]
    list_filter = ["for_date"]
    search_fields = ["recipient__username", "recipient__email", "recipient__last_name", "subject"]
    list_select_related = ["recipient"]
    readonly_fields = ["recipient", "for_date", "created_at", "subject", "sent_at", "provider_reference"]
    fields = readonly_fields
    inlines = [NotificationInline]


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(ReadOnlyAdmin):
    # Each person chooses on their notifications page; the admin shows what they chose.
    list_display = ["user", "routine_reminders", "updated_at"]
    list_filter = ["routine_reminders"]
    search_fields = ["user__username", "user__last_name", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "routine_reminders", "updated_at"]
    fields = readonly_fields
