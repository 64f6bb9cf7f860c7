from django.urls import path

from . import views

app_name = "signin"

urlpatterns = [
    path("sign-in/start/", views.start, name="start"),
    path("sign-in/callback/", views.callback, name="callback"),
    path("sign-in/password/", views.password_sign_in, name="password"),
    path("no-access-yet/", views.no_access_yet, name="no_access"),
]
