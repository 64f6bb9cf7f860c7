"""The service's pages. Each view module holds one area of the service."""

from django.urls import path

from .views import home, static_pages

app_name = "recommendations"

urlpatterns = [
    path("", home.home, name="home"),
    path("accessibility/", static_pages.accessibility_statement, name="accessibility"),
]
