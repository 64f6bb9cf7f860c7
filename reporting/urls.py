"""Reports, downloads, measures of impact, recurring themes and calendar feeds."""

from django.urls import path

from .views import calendar, downloads, measures, pages

app_name = "reporting"

urlpatterns = [
    path("reports/", pages.reports_index, name="index"),
    path("reports/action-plan.xlsx", downloads.plan_xlsx, name="plan_xlsx"),
    path("reports/action-plan.pdf", downloads.plan_pdf, name="plan_pdf"),
    path("reports/action-plan.docx", downloads.plan_docx, name="plan_docx"),
    path("reports/evidence-pack/<slug:slug>.zip", downloads.evidence_pack, name="evidence_pack"),
    path("reports/progress/<slug:slug>/", pages.progress, name="progress"),
    path("reports/measures/<int:pk>/readings/new/", measures.record_reading, name="record_reading"),
    path("themes/", pages.themes, name="themes"),
    path("calendar/", calendar.calendar_settings, name="calendar"),
    path("calendar/feed/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
