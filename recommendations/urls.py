"""The service's pages. Each view module holds one area of the service."""

from django.urls import path  # noqa: F401

app_name = "recommendations"

urlpatterns = []
