from django.apps import AppConfig


class SigninConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "signin"
    verbose_name = "Signing in"

    def ready(self):
        from . import checks  # noqa: F401  (registers the settings checks)
