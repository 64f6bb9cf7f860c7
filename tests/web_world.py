"""A small region for the page tests: two PDUs, a director, national viewers, one action each
on a PDU recommendation and on an HMPPS recommendation, with file and link evidence."""

import datetime as dt
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from recommendations.models import ActionStatus, Evidence, EvidenceKind
from tests.factories import (
    ActionFactory,
    DirectorFactory,
    InspectionFactory,
    LinkEvidenceFactory,
    NationalUnitFactory,
    NationalViewerFactory,
    PDUFactory,
    RecommendationFactory,
    RegionFactory,
    UserFactory,
)

# Every page test runs on this day (see the frozen_clock fixtures).
TODAY = dt.date(2026, 6, 15)
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def file_evidence(action, *, title="Case audit results", filename="audit.pdf", content=PDF_BYTES, by=None):
    evidence = Evidence(
        action=action,
        kind=EvidenceKind.FILE,
        title=title,
        original_filename=filename,
        size=len(content),
        content_type="application/pdf",
        added_by=by or action.owner,
        added_at=timezone.now(),
    )
    evidence.file.save(filename, ContentFile(content), save=False)
    evidence.save()
    return evidence


def build_world():
    hmpps = NationalUnitFactory()
    region = RegionFactory(name="Probation Service – East Midlands", short_name="East Midlands", parent=hmpps)
    pdu = PDUFactory(name="Derby City PDU", short_name="Derby City", parent=region)
    other_pdu = PDUFactory(name="Derbyshire PDU", short_name="Derbyshire", parent=region)
    other_region = RegionFactory(name="Probation Service – Wales", short_name="Wales", parent=hmpps)
    far_pdu = PDUFactory(name="Cardiff PDU", short_name="Cardiff", parent=other_region)

    leader = UserFactory(username="derby.lead", unit=pdu, first_name="Della", last_name="Derby")
    other_leader = UserFactory(username="shire.lead", unit=other_pdu, first_name="Shire", last_name="Lead")
    far_leader = UserFactory(username="cardiff.lead", unit=far_pdu, first_name="Carys", last_name="Cardiff")
    director = DirectorFactory(username="em.director", unit=region, first_name="Dana", last_name="Director")
    viewer = NationalViewerFactory(username="hmpps.viewer", unit=hmpps, first_name="Vic", last_name="Viewer")
    national_editor = NationalViewerFactory(
        username="hmpps.editor", unit=hmpps, first_name="Ned", last_name="Editor", can_edit_national_actions=True
    )

    inspection = InspectionFactory(unit=pdu, next_inspection_expected=dt.date(2027, 3, 1))
    recommendation = RecommendationFactory(inspection=inspection, number=1, addressed_to=pdu)
    national_recommendation = RecommendationFactory(
        inspection=inspection,
        number=8,
        addressed_to=hmpps,
        text="ensure the East Midlands region is sufficiently staffed to deliver necessary services.",
    )
    action = ActionFactory(recommendation=recommendation, unit=pdu, owner=leader, status=ActionStatus.IN_PROGRESS)
    national_action = ActionFactory(
        recommendation=national_recommendation, unit=hmpps, owner=national_editor, status=ActionStatus.IN_PROGRESS
    )
    evidence = file_evidence(action)
    link = LinkEvidenceFactory(action=action)
    national_evidence = file_evidence(national_action, title="Staffing plan")
    return SimpleNamespace(
        hmpps=hmpps,
        region=region,
        pdu=pdu,
        other_pdu=other_pdu,
        far_pdu=far_pdu,
        leader=leader,
        other_leader=other_leader,
        far_leader=far_leader,
        director=director,
        viewer=viewer,
        national_editor=national_editor,
        inspection=inspection,
        recommendation=recommendation,
        national_recommendation=national_recommendation,
        action=action,
        national_action=national_action,
        evidence=evidence,
        link=link,
        national_evidence=national_evidence,
    )


def queries_for(client, url) -> int:
    """How many database queries one GET of the page takes (it must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)
