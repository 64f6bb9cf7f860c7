"""A small East Midlands for the reporting tests: two PDUs, their inspections, plans and evidence."""

import datetime as dt
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from recommendations.models import ActionStatus, Evidence, EvidenceKind, Rating, Response, StandardRating, UnitKind
from tests.factories import (
    ActionFactory,
    DirectorFactory,
    InspectionFactory,
    LinkEvidenceFactory,
    NationalUnitFactory,
    OrgUnitFactory,
    PDUFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    RegionFactory,
    UserFactory,
)


def file_evidence(action, *, title, filename, content=b"%PDF-1.4 audit", withdrawn=False):
    evidence = Evidence(
        action=action,
        kind=EvidenceKind.FILE,
        title=title,
        original_filename=filename,
        size=len(content),
        added_by=action.owner,
        added_at=timezone.now(),
    )
    evidence.file.save(filename, ContentFile(content), save=False)
    if withdrawn:
        evidence.withdrawn_at = timezone.now()
        evidence.withdrawn_by = action.owner
        evidence.withdrawal_reason = "Superseded by the later audit."
    evidence.save()
    return evidence


def build_world():
    hmpps = NationalUnitFactory()
    region = RegionFactory(name="Probation Service – East Midlands", short_name="East Midlands", slug="east-midlands")
    derby = PDUFactory(name="Derby City PDU", short_name="Derby City", slug="derby-city", parent=region)
    derbyshire = PDUFactory(name="Derbyshire PDU", short_name="Derbyshire", slug="derbyshire", parent=region)
    crc = OrgUnitFactory(
        name="Derbyshire, Nottinghamshire, Leicestershire and Rutland CRC",
        short_name="DLNR CRC",
        slug="dlnr-crc",
        kind=UnitKind.CRC,
        is_legacy=True,
        successor=region,
    )
    director = DirectorFactory(username="em.director", unit=region, first_name="Dana", last_name="Director")
    derby_lead = UserFactory(username="derby.lead", unit=derby, first_name="Della", last_name="Derby")
    derbyshire_lead = UserFactory(username="derbyshire.lead", unit=derbyshire, first_name="Shire", last_name="Lead")

    derby_2023 = InspectionFactory(
        unit=derby,
        title="An inspection of probation services in Derby City PDU",
        published_on=dt.date(2023, 2, 9),
        fieldwork_start=dt.date(2022, 11, 21),
        fieldwork_end=dt.date(2022, 12, 2),
        overall_rating=Rating.REQUIRES_IMPROVEMENT,
        score=9,
        score_out_of=27,
        next_inspection_expected=dt.date(2026, 11, 16),
    )
    StandardRating.objects.create(
        inspection=derby_2023, domain="Court work", code="2.2", name="Assessment", rating=Rating.INADEQUATE
    )
    derbyshire_2025 = InspectionFactory(
        unit=derbyshire,
        title="An inspection of probation services in Derbyshire PDU",
        published_on=dt.date(2025, 5, 20),
        overall_rating=Rating.REQUIRES_IMPROVEMENT,
        score=11,
        score_out_of=27,
    )
    derby_r1 = RecommendationFactory(
        inspection=derby_2023,
        number=1,
        text="Improve the quality of management oversight of cases.",
        response=Response.AGREED,
    )
    derby_r5 = RecommendationFactory(
        inspection=derby_2023, number=5, addressed_to=region, text="Make sure staffing levels are sufficient."
    )
    derby_r8 = RecommendationFactory(
        inspection=derby_2023, number=8, addressed_to=hmpps, text="Review the prioritisation framework."
    )
    shire_r1 = RecommendationFactory(
        inspection=derbyshire_2025,
        number=1,
        text="Improve assessment and planning for keeping other people safe.",
        response=Response.PARTLY_AGREED,
        response_rationale="Agreed for assessment; planning is covered by the regional plan.",
    )
    shire_r2 = RecommendationFactory(inspection=derbyshire_2025, number=2, text='=HYPERLINK("http://x")')

    derby_a1 = ActionFactory(
        recommendation=derby_r1,
        owner=derby_lead,
        description="Weekly SPO case review huddles in every team.",
        start_date=None,
        original_due_date=dt.date(2026, 3, 31),
        due_date=dt.date(2026, 6, 30),
    )
    ProgressUpdateFactory(action=derby_a1, narrative="Huddles running in four of five teams.")
    derby_a2 = ActionFactory(
        recommendation=derby_r1,
        owner=derby_lead,
        description="Quarterly audit of management oversight.",
        original_due_date=dt.date(2026, 9, 30),
        status=ActionStatus.NOT_STARTED,
    )
    region_a = ActionFactory(
        recommendation=derby_r5, unit=region, owner=director, description="Regional recruitment campaign."
    )
    shire_a1 = ActionFactory(
        recommendation=shire_r1,
        owner=derbyshire_lead,
        description="Risk of harm training for every practitioner.",
        start_date=None,
        original_due_date=dt.date(2025, 12, 31),
    )
    return SimpleNamespace(**locals())


__all__ = ["build_world", "file_evidence", "LinkEvidenceFactory"]
