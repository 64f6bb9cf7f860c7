"""Read-only admin pages for response plans, challenges, due-date proposals and column choices.

Each of these records is written by a service that checks who may act (plan_sign_off,
challenges, due_date_proposals, plan_columns): the admin shows them, and their history, but
never adds, changes or deletes one, so it cannot step round those rules.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Comment, DueDateProposal, PlanColumnChoice, PlanEvent, ResponsePlan


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlanEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PlanEvent
    extra = 0
    fields = ("kind", "by", "at", "comment")


@admin.register(ResponsePlan)
class ResponsePlanAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("inspection", "unit", "state", "submitted_at", "approved_at")
    list_filter = ("state",)
    search_fields = ("inspection__title", "unit__name")
    list_select_related = ("inspection", "unit")
    inlines = [PlanEventInline]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("kind", "author", "created_at", "action", "recommendation")
    list_filter = ("kind",)
    search_fields = ("text",)
    date_hierarchy = "created_at"
    list_select_related = ("author", "action", "recommendation")


@admin.register(DueDateProposal)
class DueDateProposalAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("action", "proposed_due_date", "proposed_by", "proposed_at", "state", "decided_by")
    list_filter = ("state",)
    search_fields = ("reason", "action__description")
    list_select_related = ("action", "proposed_by", "decided_by")


@admin.register(PlanColumnChoice)
class PlanColumnChoiceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "updated_at")


@admin.register(PlanEvent)
class PlanEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("plan", "kind", "by", "at")
    list_filter = ("kind",)
    list_select_related = ("plan__inspection", "plan__unit", "by")
