"""Synthetic national-scale data for measuring the service (see generator.py)."""

from .generator import ScaleDataGenerator, ScaleSpec

__all__ = ["ScaleDataGenerator", "ScaleSpec", "database_has_data", "generate"]


def database_has_data() -> bool:
    """True when the database already holds units, inspections or plans."""
    from recommendations.models import Action, Inspection, OrgUnit, Recommendation

    return any(model.objects.exists() for model in (OrgUnit, Inspection, Recommendation, Action))


def generate(spec: ScaleSpec, *, log=None) -> dict[str, int]:
    """Fill the database as `spec` says; returns how many rows of each kind were made."""
    return ScaleDataGenerator(spec, log=log).run()
