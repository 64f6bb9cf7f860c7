"""Every page and file that counts the plan gives the same figures.

A plan with an action in every status (one overdue, one recommendation done) is read by a
national viewer and by the region's director from both dashboards, the home page, the
plan's CSV, the XLSX and PDF plan document, and the reminder digest; the counts of actions
by status, overdue, derived RAG, awaiting verification and recommendations done agree.
"""

import csv
import datetime as dt
import io
from collections import Counter

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from recommendations.models import Action, ActionStatus, Recommendation
from recommendations.scope import recommendations_visible_to
from recommendations.selectors.dashboards import national_dashboard, regional_dashboard
from recommendations.selectors.home import my_work
from reminders.selectors import _inspection_digest_contents
from reporting.selectors.plan_document import plan_document
from tests.factories import ActionFactory, RecommendationFactory
from tests.web_world import TODAY, build_world, file_evidence

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)
STATUS_LABELS = dict(ActionStatus.choices)


@pytest.fixture
def plan():
    with time_machine.travel(NOW, tick=False):
        world = build_world()
        pdu, leader = world.pdu, world.leader
        done = RecommendationFactory(inspection=world.recommendation.inspection, number=2, addressed_to=pdu)
        now = timezone.now()
        stamps = {"completed_at": now, "completed_by": leader}
        verified = {"verified_at": now, "verified_by": world.director}
        for status, due, recommendation, extra in (
            (ActionStatus.NOT_STARTED, dt.date(2026, 6, 20), world.recommendation, {}),
            (ActionStatus.BLOCKED, dt.date(2026, 9, 30), world.recommendation, {}),
            (ActionStatus.IN_PROGRESS, dt.date(2026, 5, 1), world.recommendation, {}),  # overdue
            (ActionStatus.COMPLETED, dt.date(2026, 7, 31), world.recommendation, stamps),
            (ActionStatus.VERIFIED, dt.date(2026, 5, 31), done, stamps | verified),
            (ActionStatus.CANCELLED, dt.date(2026, 8, 31), done, {}),
        ):
            action = ActionFactory(
                recommendation=recommendation, unit=pdu, owner=leader, status=status, due_date=due, **extra
            )
            if status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
                file_evidence(action)
        return world


def _dashboard_figures(figures):
    return {
        "by status": {status: getattr(figures, status) for status in ActionStatus.values if getattr(figures, status)},
        "overdue": figures.overdue,
        "derived RAG": {rag: getattr(figures, rag) for rag in ("red", "amber", "green") if getattr(figures, rag)},
        "awaiting verification": figures.awaiting_verification,
        "recommendations done": figures.ready,
    }


def _csv_figures(client, **params):
    response = client.get(reverse("recommendations:action_plan_csv"), params)
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = [row for row in csv.DictReader(io.StringIO(content)) if row["Action"]]
    labels = {label: status for status, label in STATUS_LABELS.items()}
    by_status = Counter(labels[row["Status"]] for row in rows)
    return {
        "by status": dict(by_status),
        "overdue": sum(
            row["Status"] in {STATUS_LABELS[s] for s in ("not_started", "in_progress", "blocked")}
            and dt.date.fromisoformat(row["Due date"]) < TODAY
            for row in rows
        ),
        "derived RAG": dict(Counter(row["Derived RAG"].lower() for row in rows if row["Derived RAG"])),
        "awaiting verification": by_status[ActionStatus.COMPLETED],
    }


def _xlsx_figures(client, **params):
    response = client.get(reverse("reporting:plan_xlsx"), params)
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "Inspection")
    header = rows[header_at]
    records = [dict(zip(header, row, strict=False)) for row in rows[header_at + 1 :] if row[header.index("Status")]]
    labels = {label: status for status, label in STATUS_LABELS.items()}
    by_status = Counter(labels[record["Status"]] for record in records)
    return {
        "by status": dict(by_status),
        # A cancelled action is "Not rated" in the file and left out of the dashboards' RAG counts.
        "derived RAG": dict(
            Counter(rag.lower() for record in records if (rag := record["RAG (derived)"]) and rag != "Not rated")
        ),
        "awaiting verification": by_status[ActionStatus.COMPLETED],
    }


def _document_figures(user):
    """What the PDF (and the XLSX) are made from."""
    rows = [row for row in plan_document(user=user, today=TODAY).rows if row["action_id"]]
    labels = {label: status for status, label in STATUS_LABELS.items()}
    return {"by status": dict(Counter(labels[row["status"]] for row in rows))}


def _done(user):
    return recommendations_visible_to(user).with_done().filter(done=True).count()


def test_every_page_and_file_gives_the_same_figures(client, plan):
    with time_machine.travel(NOW, tick=False):
        national = _dashboard_figures(national_dashboard(user=plan.viewer, today=TODAY).total)
        regional = _dashboard_figures(regional_dashboard(user=plan.director, region=plan.region, today=TODAY).total)
        expected_by_status = dict(Counter(Action.objects.values_list("status", flat=True)))

        assert national["by status"] == expected_by_status
        assert national["overdue"] == 1
        assert national["recommendations done"] == _done(plan.viewer) == 1

        # The region's plan is the whole plan but the HMPPS action.
        in_region = dict(Counter(Action.objects.filter(unit__in=[plan.pdu]).values_list("status", flat=True)))
        assert regional["by status"] == in_region
        assert regional["overdue"] == national["overdue"]
        assert regional["recommendations done"] == _done(plan.director)

        client.force_login(plan.viewer)
        viewer_csv = _csv_figures(client)
        assert viewer_csv["by status"] == national["by status"]
        assert viewer_csv["overdue"] == national["overdue"]
        assert viewer_csv["derived RAG"] == national["derived RAG"]
        assert viewer_csv["awaiting verification"] == national["awaiting verification"]
        viewer_xlsx = _xlsx_figures(client)
        assert viewer_xlsx == {key: national[key] for key in viewer_xlsx}
        assert _document_figures(plan.viewer)["by status"] == national["by status"]

        # The director's plan also lists the HMPPS action on her region's inspection; the region's
        # own figures are those of its units (here, the one PDU with actions).
        client.force_login(plan.director)
        director_csv = _csv_figures(client, unit=plan.pdu.slug)
        assert director_csv["by status"] == regional["by status"]
        assert director_csv["overdue"] == regional["overdue"]
        assert director_csv["derived RAG"] == regional["derived RAG"]
        assert _xlsx_figures(client, unit=plan.pdu.slug)["by status"] == regional["by status"]

        # Home: the director's actions awaiting verification are the region's completed actions.
        work = my_work(user=plan.director, today=TODAY)
        assert len(work.awaiting_verification) == regional["awaiting verification"]

        # The digest sent before the unit's next inspection lists the same overdue actions.
        digest = _inspection_digest_contents(TODAY, [plan.pdu.pk])[plan.pdu.pk]
        assert len(digest["overdue_actions"]) == regional["overdue"]
        unfinished = [item["label"] for item in digest["recommendations"]]
        done = Recommendation.objects.with_done().filter(done=True, addressed_to=plan.pdu)
        assert not any(recommendation.label in unfinished for recommendation in done)
