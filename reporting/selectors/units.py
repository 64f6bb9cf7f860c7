"""Finding the unit or inspection that someone named on the command line."""

from django.db.models import Q

from recommendations.models import Inspection, OrgUnit


def find_unit(name: str) -> OrgUnit:
    """A unit by its name, short name or slug (any case); LookupError naming the choices if none."""
    name = name.strip()
    matches = list(OrgUnit.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name) | Q(slug__iexact=name)))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = ", ".join(OrgUnit.objects.order_by("name").values_list("name", flat=True)[:30]) or "none"
        raise LookupError(f"No unit is called '{name}'. Known units: {known}.")
    raise LookupError(f"More than one unit matches '{name}': {', '.join(u.name for u in matches)}. Use its slug.")


def find_inspection(identifier) -> Inspection:
    try:
        pk = int(str(identifier).strip())
    except ValueError:
        raise LookupError(f"'{identifier}' is not an inspection id: give the number shown in the admin.") from None
    try:
        return Inspection.objects.select_related("unit").get(pk=pk)
    except Inspection.DoesNotExist:
        raise LookupError(f"There is no inspection with id {pk}.") from None
