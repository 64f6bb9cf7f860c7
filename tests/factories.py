"""factory_boy factories for the domain, for tests and the scale-data generator."""

import datetime as dt

import factory
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone

from recommendations.models import (
    Action,
    ActionStatus,
    Evidence,
    EvidenceKind,
    Inspection,
    InspectionKind,
    OrgUnit,
    ProgressUpdate,
    Rating,
    Recommendation,
    Role,
    UnitKind,
    User,
)

TEST_PASSWORD = "correct-horse-battery-staple"


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Production's PBKDF2 at a thousand rounds, not a million: the tests' first hasher
    (tests/conftest.py), so that signing in takes a moment, not half a second. A hash names
    its rounds, so the servers a test starts, with production's hashers, check it too."""

    iterations = 1000


# Hashing once keeps user creation fast in large test data.
_TEST_PASSWORD_HASH = QuickPBKDF2PasswordHasher().encode(TEST_PASSWORD, QuickPBKDF2PasswordHasher().salt())


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Unit {n}")
    slug = factory.Sequence(lambda n: f"unit-{n}")
    kind = UnitKind.PDU


class NationalUnitFactory(OrgUnitFactory):
    name = "HM Prison and Probation Service"
    short_name = "HMPPS"
    slug = "hmpps"
    kind = UnitKind.NATIONAL


class RegionFactory(OrgUnitFactory):
    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    kind = UnitKind.REGION
    parent = factory.SubFactory(NationalUnitFactory)


class PDUFactory(OrgUnitFactory):
    name = factory.Sequence(lambda n: f"PDU {n}")
    slug = factory.Sequence(lambda n: f"pdu-{n}")
    kind = UnitKind.PDU
    parent = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@justice.example")
    password = _TEST_PASSWORD_HASH
    unit = factory.SubFactory(PDUFactory)
    role = Role.PDU_LEADER


class DirectorFactory(UserFactory):
    role = Role.REGIONAL_DIRECTOR
    unit = factory.SubFactory(RegionFactory)


class NationalViewerFactory(UserFactory):
    role = Role.NATIONAL_VIEWER
    unit = factory.SubFactory(NationalUnitFactory)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    unit = factory.SubFactory(PDUFactory)
    kind = InspectionKind.PDU
    title = factory.LazyAttribute(lambda i: f"An inspection of probation services in {i.unit.name}")
    fieldwork_start = dt.date(2025, 2, 24)
    fieldwork_end = dt.date(2025, 3, 7)
    published_on = dt.date(2025, 5, 20)
    overall_rating = Rating.REQUIRES_IMPROVEMENT
    score = 11
    score_out_of = 27


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    inspection = factory.SubFactory(InspectionFactory)
    number = factory.Sequence(lambda n: n + 1)
    addressed_to = factory.LazyAttribute(lambda r: r.inspection.unit)
    text = "Improve the quality of assessment and planning for keeping other people safe."


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    recommendation = factory.SubFactory(RecommendationFactory)
    unit = factory.LazyAttribute(lambda a: a.recommendation.addressed_to)
    owner = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..unit"))
    description = "Deliver risk of harm training to every practitioner, with quarterly case audits."
    success_measure = "Audit shows 75% of assessments focus sufficiently on keeping other people safe."
    start_date = dt.date(2026, 6, 1)
    original_due_date = dt.date(2026, 12, 31)
    due_date = factory.SelfAttribute("original_due_date")
    status = ActionStatus.IN_PROGRESS


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    author = factory.SelfAttribute("action.owner")
    created_at = factory.LazyFunction(timezone.now)
    narrative = "Training sessions booked for all teams; first audit scheduled."
    status = ActionStatus.IN_PROGRESS


class LinkEvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    action = factory.SubFactory(ActionFactory)
    kind = EvidenceKind.LINK
    title = "Quarterly audit of risk assessments"
    url = "https://intranet.justice.example/audits/q3"
    added_by = factory.SelfAttribute("action.owner")
    added_at = factory.LazyFunction(timezone.now)
