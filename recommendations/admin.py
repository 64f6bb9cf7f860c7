"""The Django admin: the data-entry tool for administrators."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from signin.admin import WaitingForAccessFilter

from . import services
from .admin_moves import ActionMovesMixin
from .admin_report_import import ReportImportAdminMixin
from .admin_sign_off import ReadOnlyAdminMixin  # noqa: F401  (registers the sign-off records' pages)
from .models import (
    Action,
    DueDateRevision,
    Evidence,
    Inspection,
    KeyQuestionResult,
    OrgUnit,
    ProgressUpdate,
    Recommendation,
    StandardRating,
    Theme,
    User,
)
from .resources import RecommendationResource
from .services import responses
from .sessions import end_sessions_of


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "kind", "parent", "is_legacy", "successor")
    list_filter = ("kind", "is_legacy")
    search_fields = ("name", "short_name", "slug", "aliases")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "successor")


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ("username", "get_full_name", "email", "role", "unit", "is_active", "last_login")
    # "Waiting for access": people who signed in through a provider and need a role and unit.
    list_filter = (WaitingForAccessFilter, "role", "unit", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("unit",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Role in the service", {"fields": ("unit", "role", "job_title", "can_edit_national_actions")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Role in the service", {"fields": ("email", "first_name", "last_name", "unit", "role", "job_title")}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            ended = end_sessions_of(obj)
            if ended:
                self.message_user(request, f"{obj} was signed out of {ended} session(s).")


class StandardRatingInline(admin.TabularInline):
    model = StandardRating
    extra = 0


class KeyQuestionInline(admin.TabularInline):
    model = KeyQuestionResult
    extra = 0
    autocomplete_fields = ("standard",)


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = ("number", "addressed_to", "addressees", "text", "themes", "response", "response_rationale")
    # The response is recorded on the recommendation's own page, through the service.
    readonly_fields = ("response", "response_rationale")
    autocomplete_fields = ("addressed_to", "addressees", "themes")
    show_change_link = True


@admin.register(Inspection)
class InspectionAdmin(ReportImportAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "unit",
        "kind",
        "published_on",
        "overall_rating",
        "score_display",
        "next_inspection_expected",
    )
    list_filter = ("kind", "overall_rating", "unit")
    search_fields = ("title", "lead_inspector", "unit__name")
    date_hierarchy = "published_on"
    autocomplete_fields = ("unit",)
    filter_horizontal = ("related_inspections",)
    inlines = [StandardRatingInline, KeyQuestionInline, RecommendationInline]

    @admin.display(description="Score")
    def score_display(self, obj):
        return obj.score_display

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for recommendation in form.instance.recommendations.all():
            services.include_first_addressee(recommendation)


@admin.register(StandardRating)
class StandardRatingAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "rating", "inspection")
    list_filter = ("rating", "inspection")
    search_fields = ("code", "name", "inspection__title")


@admin.register(KeyQuestionResult)
class KeyQuestionResultAdmin(SimpleHistoryAdmin):
    list_display = ("question", "percentage", "section", "inspection")
    list_filter = ("inspection", "section")
    search_fields = ("question",)


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class ActionInline(admin.TabularInline):
    """The recommendation's actions, to read: each is changed on its own page, through the services."""

    model = Action
    extra = 0
    fields = ("description", "owner", "unit", "due_date", "status")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class FailedImportFilesRemovedMixin:
    """A preview that cannot be confirmed (unreadable file, row errors) removes its upload at once.

    django-import-export removes the file on confirmation only; an abandoned preview's file
    goes at the next upload after ImportUploadStorage.ABANDONED_AFTER_SECONDS.
    """

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        upload = request.FILES.get("import_file")
        name = getattr(upload, "tmp_storage_name", None)
        if name and "confirm_form" not in (getattr(response, "context_data", None) or {}):
            self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs()).remove()
        return response


RESPONSE_FIELDS = ("response", "response_rationale")


class RecommendationAdminForm(forms.ModelForm):
    """A changed response is checked by the service's own rule, its errors shown beside the fields."""

    def clean(self):
        cleaned = super().clean()
        if set(RESPONSE_FIELDS) & set(self.changed_data):
            try:
                responses.check_response(
                    response=cleaned.get("response", ""), rationale=cleaned.get("response_rationale", "")
                )
            except forms.ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error("response_rationale" if field == "rationale" else field, messages)
        return cleaned


@admin.register(Recommendation)
class RecommendationAdmin(FailedImportFilesRemovedMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    form = RecommendationAdminForm
    resource_classes = [RecommendationResource]
    list_display = ("__str__", "number", "addressed_to", "response")
    list_filter = ("inspection", "addressed_to", "response", "themes")
    search_fields = ("text", "inspection__title")
    autocomplete_fields = ("inspection", "addressed_to", "addressees", "themes")
    readonly_fields = ("response_recorded_by", "response_recorded_at")
    inlines = [ActionInline]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset.select_related("inspection"), search_term)

    def save_model(self, request, obj, form, change):
        # A changed response is recorded as the pages record it: stamped with who and when.
        if set(RESPONSE_FIELDS) & set(form.changed_data):
            responses.set_response(
                recommendation=obj, response=obj.response, rationale=obj.response_rationale, by=request.user
            )
        else:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Whatever the form said.
        services.include_first_addressee(form.instance)


class DueDateRevisionInline(admin.TabularInline):
    model = DueDateRevision
    extra = 0
    readonly_fields = ("previous_due_date", "new_due_date", "reason", "revised_by", "revised_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    fields = ("created_at", "author", "status", "rag", "is_closing", "narrative")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ("title", "kind", "file", "url", "added_by", "added_at", "withdrawn_at", "withdrawal_reason")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(ActionMovesMixin, SimpleHistoryAdmin):
    # Actions are imported and exported in the template's columns on the service's page
    # "Import an action plan spreadsheet" (linked from this list), through the services.
    change_list_template = "admin/recommendations/action/change_list.html"
    list_display = ("id", "short_description", "recommendation", "unit", "owner", "due_date", "status", "self_rag")
    list_filter = ("status", "self_rag", "unit", "recommendation__inspection")
    search_fields = ("description", "owner__username", "owner__last_name")
    date_hierarchy = "due_date"
    list_select_related = ("recommendation__inspection", "unit", "owner")
    autocomplete_fields = ("recommendation", "owner", "unit")
    readonly_fields = (
        "status",
        "due_date",
        "self_rag",
        "original_due_date",
        "completed_at",
        "completed_by",
        "verified_at",
        "verified_by",
        "returned_at",
        "returned_by",
        "last_update_at",
        "version",
        "created_by",
        "created_at",
        "updated_at",
    )
    inlines = [DueDateRevisionInline, ProgressUpdateInline, EvidenceInline]

    @admin.display(description="Action")
    def short_description(self, obj):
        return obj.description[:80]

    def has_delete_permission(self, request, obj=None):
        # Deleting an action would take its progress log and evidence with it: an action
        # with either is cancelled (with a reason), never deleted. Bulk delete is off for
        # the same reason, since it cannot check each action.
        if obj is None:
            return False
        if obj.updates.exists() or obj.evidence.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # A new action is given its due date (the original too) and starts not started;
        # afterwards the status and due date move only through the buttons (admin_moves).
        if obj is None:
            return [f for f in self.readonly_fields if f != "due_date"]
        return [*self.readonly_fields, "recommendation"]


@admin.register(DueDateRevision)
class DueDateRevisionAdmin(SimpleHistoryAdmin):
    list_display = ("action", "previous_due_date", "new_due_date", "revised_by", "revised_at")
    search_fields = ("reason", "action__description")
    date_hierarchy = "revised_at"
    readonly_fields = ("action", "previous_due_date", "new_due_date", "reason", "revised_by", "revised_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A revision is the record of why a date moved: it is kept for good.
        return False


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    """Progress updates are append-only: the admin shows them but cannot change them."""

    list_display = ("action", "author", "created_at", "status", "rag", "is_closing")
    list_filter = ("status", "rag", "is_closing")
    search_fields = ("narrative", "action__description")
    date_hierarchy = "created_at"
    list_select_related = ("action__recommendation__inspection", "author")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    """Evidence is added and withdrawn on the action's pages, where files are checked: here only its
    title, description and date can be corrected."""

    list_display = ("title", "action", "kind", "added_by", "added_at", "size", "withdrawn_at")
    list_filter = ("kind", "content_type")
    search_fields = ("title", "description", "original_filename", "sha256")
    date_hierarchy = "added_at"
    list_select_related = ("action__recommendation__inspection", "added_by")
    readonly_fields = (
        "original_filename",
        "size",
        "content_type",
        "sha256",
        "added_by",
        "added_at",
        "withdrawn_at",
        "withdrawn_by",
    )
    autocomplete_fields = ("action",)

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        # Only the words about it may be corrected: the file (checked when uploaded, with its
        # checksum), the link, the action and the withdrawal stay as they were recorded.
        editable = {"title", "description", "relates_to"}
        return [field.name for field in self.model._meta.fields if field.name not in editable]

    def has_delete_permission(self, request, obj=None):
        # Evidence is withdrawn with a reason, never deleted.
        return False
