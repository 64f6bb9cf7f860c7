"""Organisation units and the people who belong to them."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords

from .choices import Role, UnitKind

# HMPPS and the body it replaced: their actions belong to the national team.
NATIONAL_KINDS = (UnitKind.NATIONAL, UnitKind.NOMS)


def region_of_unit(path: str = ""):
    """An expression giving the pk of the region a unit belongs to (None for national bodies).

    `path`: the way to the unit from the model asked, e.g. "unit__"; "" for an OrgUnit itself.
    The inverse of `OrgUnitQuerySet.in_region`: a region itself, a unit whose parent is a
    region, or a legacy body whose successor is a region or one of its PDUs.
    """
    return models.Case(
        models.When(**{f"{path}kind": UnitKind.REGION}, then=models.F(f"{path}pk")),
        models.When(**{f"{path}parent__kind": UnitKind.REGION}, then=models.F(f"{path}parent_id")),
        models.When(**{f"{path}successor__kind": UnitKind.REGION}, then=models.F(f"{path}successor_id")),
        models.When(
            **{f"{path}successor__parent__kind": UnitKind.REGION}, then=models.F(f"{path}successor__parent_id")
        ),
        default=None,
        output_field=models.BigIntegerField(),
    )


def answering_region(*, unit: str, inspected_unit: str):
    """The region whose figures hold an action or a recommendation, as an expression.

    The region of its unit (an action's unit, a recommendation's addressee); for HMPPS (or
    NOMS) the region of the unit inspected, since what HMPPS does on a region's inspection
    is part of that region's plan. None outside any region. `unit` and `inspected_unit` are
    the paths to the two units, e.g. "unit__" and "recommendation__inspection__unit__".
    The queryset form is `answering_for` on actions and recommendations.
    """
    return models.Case(
        models.When(**{f"{unit}kind__in": NATIONAL_KINDS}, then=region_of_unit(inspected_unit)),
        default=region_of_unit(unit),
        output_field=models.BigIntegerField(),
    )


def answering_region_of(unit, inspected_unit):
    """`answering_region` for two units read with `OrgUnitQuerySet.with_region_pk` (`unit` None: none).

    For rows the database has already counted by their two units: the units are then looked
    up for a few hundred rows rather than joined to every action. tests/test_dashboard_grouping.py
    holds it to the expression.
    """
    if unit is None:
        return None
    return inspected_unit.region_pk if unit.kind in NATIONAL_KINDS else unit.region_pk


def in_region_lookup(name: str, region) -> dict:
    """Filter arguments for an `answering_region` alias `name`: in `region` (a pk or a pk query), or in none."""
    return {f"{name}__isnull": True} if region is None else {name: region}


class OrgUnitQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_legacy=False)

    def legacy(self):
        """Bodies dissolved in June 2021 (superseded): dashboards show them apart from today's units."""
        return self.filter(is_legacy=True)

    def outside_regions(self):
        """Units in no region (HMPPS and the national bodies): the inverse of region_of_unit's None."""
        return self.with_region_pk().filter(region_pk__isnull=True)

    def under(self, unit):
        """The unit, the units under it, and the legacy bodies whose work it or they took over."""
        unit_pk = getattr(unit, "pk", unit)
        return self.filter(
            models.Q(pk=unit_pk)
            | models.Q(parent=unit_pk)
            | models.Q(successor=unit_pk)
            | models.Q(successor__parent=unit_pk)
        )

    def answered_by(self, unit):
        """The units whose recommendations `unit` answers: itself and the legacy bodies whose work it took over."""
        unit_pk = getattr(unit, "pk", unit)
        return self.filter(models.Q(pk=unit_pk) | models.Q(successor=unit_pk, is_legacy=True))

    def in_region(self, region):
        """The units whose figures make up a region's: the region, its PDUs and the legacy bodies they took over."""
        return self.under(region)

    def visible_to(self, user):
        """Units whose recommendations, actions and dashboards the user may see (recommendations.scope)."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self.all()
        if user.unit_id is None:
            return self.none()
        if user.role == Role.REGIONAL_DIRECTOR:
            return self.in_region(user.unit_id)
        if user.role == Role.PDU_LEADER:
            return self.filter(pk=user.unit_id)
        return self.none()

    def editable_by(self, user):
        """Units whose actions the user may change (log progress, add evidence, complete)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role == Role.ADMINISTRATOR:
            return self.all()
        if user.role == Role.NATIONAL_VIEWER:
            return self.national() if user.can_edit_national_actions else self.none()
        if user.role == Role.REGIONAL_DIRECTOR and user.unit_id:
            return self.in_region(user.unit_id).exclude(kind__in=[UnitKind.NATIONAL, UnitKind.NOMS])
        if user.role == Role.PDU_LEADER and user.unit_id:
            return self.filter(pk=user.unit_id)
        return self.none()

    def with_region_pk(self):
        """`region_pk`: the region each unit belongs to (see region_of_unit)."""
        return self.annotate(region_pk=region_of_unit())

    def national(self):
        """HMPPS and the body it replaced (NOMS): their actions belong to the national team."""
        return self.filter(kind__in=NATIONAL_KINDS)


class OrgUnit(models.Model):
    """HMPPS (national) → region → PDU, plus the legacy bodies of before June 2021.

    A legacy unit (a CRC, an NPS division, NOMS) names the unit that took over its
    work, so that recommendations made to it can be followed to today's owner.
    """

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True, help_text="For tables, e.g. 'LLR'.")
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    is_legacy = models.BooleanField(
        default=False, help_text="Dissolved at unification of probation services in June 2021."
    )
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text="The unit that took over this legacy unit's work.",
    )
    aliases = models.TextField(
        blank=True,
        help_text="Other names reports and spreadsheets use for this unit, one a line: an abbreviation "
        "(HMPPS) or a generic name (Community Rehabilitation Company). Imports match them as they match its name.",
    )

    objects = OrgUnitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation unit"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(successor__isnull=False, is_legacy=False),
                name="orgunit_successor_only_for_legacy",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.splitlines() if alias.strip()]

    @property
    def region(self):
        """The region this unit sits in (itself for a region), or None.

        A legacy body belongs to the region that took over its work (its successor, or the
        successor's region), as in OrgUnitQuerySet.in_region.
        """
        unit, seen = self, set()
        while unit is not None and unit.pk not in seen:
            if unit.kind == UnitKind.REGION:
                return unit
            seen.add(unit.pk)
            unit = unit.parent if unit.parent_id else unit.successor
        return None


class User(AbstractUser):
    """A member of staff: belongs to one unit and has one role in the service."""

    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    can_edit_national_actions = models.BooleanField(
        default=False,
        help_text="A national viewer with this right owns and updates actions on recommendations addressed to HMPPS.",
    )
    # Set by recommendations.sessions.end_sessions_of: every session signed in before it has ended.
    sessions_ended_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Role and unit changes are kept; the password hash, sign-in times and session ends are not.
    history = HistoricalRecords(excluded_fields=["password", "last_login", "sessions_ended_at"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # Only end_sessions_of moves sessions_ended_at, in an UPDATE of its own: saving a
        # copy of the person read before then must not move it back and revive sessions.
        full_update = kwargs.get("update_fields") is None and not kwargs.get("force_insert") and not args
        if full_update and not self._state.adding:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "sessions_ended_at" and field.attname not in deferred
            ]
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret=None):
        # Django signs every session with this hash and refuses a session whose hash no
        # longer matches. Folding in sessions_ended_at ends every earlier session wherever
        # it is kept, a copy in Redis that could not be deleted included.
        if self.sessions_ended_at is None:
            return super()._get_session_auth_hash(secret)
        key_salt = "recommendations.User.sessions_ended_at"
        value = f"{self.password}:{self.sessions_ended_at.isoformat()}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def is_pdu_leader(self):
        return self.role == Role.PDU_LEADER

    @property
    def is_regional_director(self):
        return self.role == Role.REGIONAL_DIRECTOR

    @property
    def is_national_viewer(self):
        return self.role == Role.NATIONAL_VIEWER

    @property
    def sees_everything(self):
        """National viewers and administrators see every unit's plan."""
        return self.is_superuser or self.role in (Role.NATIONAL_VIEWER, Role.ADMINISTRATOR)

    @property
    def is_administrator(self):
        return self.role == Role.ADMINISTRATOR or self.is_superuser
