"""A number that changes whenever the plan's data changes, for caching pages until it does."""

from django.db import models


class DataVersion(models.Model):
    """One row whose `number` the database raises on every write to the plan's tables.

    Triggers (migration 0002) raise it, so that no write can forget to: services, the
    admin, imports, restores and raw SQL alike. Pages that cost most to work out (the
    action plan, the dashboards) are cached under it (recommendations.data_cache).
    """

    number = models.BigIntegerField()

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"Data version {self.number}"
