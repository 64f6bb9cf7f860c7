from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarFeed, Measure, MeasureReading


class MeasureReadingInline(admin.TabularInline):
    model = MeasureReading
    extra = 1
    fields = ["taken_on", "value", "source", "note", "recorded_by", "recorded_at"]
    raw_id_fields = ["recorded_by"]
    # A reading, once recorded, is a fact on the measure's chart: corrected by a new one, never deleted.
    can_delete = False


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "baseline", "target", "unit_of_measure"]
    list_filter = ["unit", "unit_of_measure"]
    search_fields = ["name", "description", "key_question__question"]
    filter_horizontal = ["recommendations"]
    raw_id_fields = ["key_question"]
    inlines = [MeasureReadingInline]


@admin.register(MeasureReading)
class MeasureReadingAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "taken_on", "value", "source", "recorded_by", "recorded_at"]
    list_filter = ["measure__unit"]
    search_fields = ["measure__name", "source"]
    raw_id_fields = ["recorded_by"]
    date_hierarchy = "taken_on"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(SimpleHistoryAdmin):
    # The token itself is never stored; the admin can only see that a feed exists, or revoke it.
    list_display = ["user", "created_at", "last_used_at"]
    fields = ["user", "created_at", "last_used_at"]
    readonly_fields = ["user", "created_at", "last_used_at"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False
