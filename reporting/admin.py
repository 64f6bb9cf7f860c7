from django.contrib import admin

from .models import CalendarFeed, Measure, MeasureReading


class MeasureReadingInline(admin.TabularInline):
    model = MeasureReading
    extra = 1
    fields = ["taken_on", "value", "source", "note", "recorded_by", "recorded_at"]
    raw_id_fields = ["recorded_by"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "baseline", "target", "unit_of_measure"]
    list_filter = ["unit", "unit_of_measure"]
    search_fields = ["name", "description", "key_question__question"]
    filter_horizontal = ["recommendations"]
    raw_id_fields = ["key_question"]
    inlines = [MeasureReadingInline]


@admin.register(MeasureReading)
class MeasureReadingAdmin(admin.ModelAdmin):
    list_display = ["measure", "taken_on", "value", "source", "recorded_by", "recorded_at"]
    list_filter = ["measure__unit"]
    search_fields = ["measure__name", "source"]
    raw_id_fields = ["recorded_by"]
    date_hierarchy = "taken_on"


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    # The token itself is never stored; the admin can only see that a feed exists, or revoke it.
    list_display = ["user", "created_at", "last_used_at"]
    fields = ["user", "created_at", "last_used_at"]
    readonly_fields = ["user", "created_at", "last_used_at"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False
