from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"
    verbose_name = "Inspections and action plans"

    def ready(self):
        from . import lookups  # noqa: F401 - registers the `among` lookup
        from .tables import cell_signatures

        cell_signatures.install()
