from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
]
