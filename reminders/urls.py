from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("notifications/", views.notifications, name="notifications"),
]
