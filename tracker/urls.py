"""Top-level URLs: the service's pages, the admin for data entry."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Inspection action plan tracker – administration"
admin.site.site_title = "Action plan tracker admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("recommendations.urls")),
]
