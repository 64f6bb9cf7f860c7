"""Top-level URLs: the service's pages, signing in and out, the admin for data entry."""

from django.contrib import admin
from django.urls import include, path

from recommendations.views.auth import SignInView, SignOutView

admin.site.site_header = "Inspection action plan tracker – administration"
admin.site.site_title = "Action plan tracker admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sign-in/", SignInView.as_view(), name="login"),
    path("sign-out/", SignOutView.as_view(), name="logout"),
    path("", include("reminders.urls")),
    path("", include("recommendations.urls")),
    path("", include("reporting.urls")),
]
