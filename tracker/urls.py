"""Top-level URLs: the service's pages, signing in and out, the admin for data entry."""

from django.contrib import admin
from django.urls import include, path

from signin import views as signin_views

admin.site.site_header = "Inspection action plan tracker – administration"
admin.site.site_title = "Action plan tracker admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sign-in/", signin_views.sign_in, name="login"),
    path("sign-out/", signin_views.sign_out, name="logout"),
    path("", include("signin.urls")),
    path("", include("reminders.urls")),
    path("", include("recommendations.urls")),
    path("", include("reporting.urls")),
]
