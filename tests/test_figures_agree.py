"""Every page and file that counts the plan gives the same figures, read as their readers read them.

A plan with an action in every status (one overdue, one recommendation done), an action of
HMPPS on the region's inspection and a draft action in a plan awaiting sign-off is read from
the rendered home page, plan page, regional and national dashboards, the CSV, XLSX and PDF
downloads and the reminder email sent before the next inspection. The counts of actions by
status, overdue, derived RAG, awaiting verification and recommendations done agree, and
the draft is counted nowhere.

One scope rule serves every page: a region's figures are those of its units and of HMPPS's
actions on its units' inspections (ActionQuerySet.answering_for); the national dashboard
counts the same actions in the region's row, so the region's row there equals the region's
own dashboard.
"""

import csv
import datetime as dt
import io
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from recommendations import plan_sign_off
from recommendations.models import Action, ActionStatus, Response
from reminders import services as reminder_services
from tests.factories import ActionFactory, InspectionFactory, RecommendationFactory
from tests.web_world import TODAY, build_world, file_evidence

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)
STATUS_LABELS = dict(ActionStatus.choices)
LABEL_STATUS = {label: status for status, label in STATUS_LABELS.items()}
OPEN = {ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED}
FIGURE_COLUMNS = ["not_started", "in_progress", "blocked", "completed", "verified", "cancelled", "overdue"]
RAG_COLUMNS = ["red", "amber", "green", "recommendations", "without_action", "ready"]
DRAFT = "Draft action, not yet signed off"


@pytest.fixture
def plan():
    with time_machine.travel(NOW, tick=False):
        world = build_world()
        pdu, leader = world.pdu, world.leader
        # The next inspection of the PDU is 30 days away: the reminder before it goes out today.
        world.inspection.next_inspection_expected = TODAY + dt.timedelta(days=30)
        world.inspection.save()
        world.action.description = "Action already in progress"
        world.action.save()
        world.national_action.description = "HMPPS staffing review"
        world.national_action.save()
        done = RecommendationFactory(inspection=world.recommendation.inspection, number=2, addressed_to=pdu)
        stamps = {"completed_at": timezone.now(), "completed_by": leader}
        verified = {"verified_at": timezone.now(), "verified_by": world.director}
        for status, due, recommendation, extra in (
            (ActionStatus.NOT_STARTED, dt.date(2026, 6, 20), world.recommendation, {}),
            (ActionStatus.BLOCKED, dt.date(2026, 9, 30), world.recommendation, {}),
            (ActionStatus.IN_PROGRESS, dt.date(2026, 5, 1), world.recommendation, {}),  # overdue
            (ActionStatus.COMPLETED, dt.date(2026, 7, 31), world.recommendation, stamps),
            (ActionStatus.VERIFIED, dt.date(2026, 5, 31), done, stamps | verified),
            (ActionStatus.CANCELLED, dt.date(2026, 8, 31), done, {}),
        ):
            action = ActionFactory(
                recommendation=recommendation,
                unit=pdu,
                owner=leader,
                status=status,
                due_date=due,
                description=f"Action {status.replace('_', ' ')}",
                **extra,
            )
            if status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
                file_evidence(action)
        # A draft, in a plan awaiting sign-off, due long ago: were it counted it would be overdue and red.
        drafting = InspectionFactory(unit=pdu, title="An inspection of probation services: Derby City 2026")
        answered = RecommendationFactory(inspection=drafting, number=1, addressed_to=pdu)
        plan_sign_off.draft_response(
            recommendation=answered, unit=pdu, response=Response.AGREED, rationale="", by=leader
        )
        plan_sign_off.draft_action(
            recommendation=answered,
            unit=pdu,
            by=leader,
            description=DRAFT,
            owner=leader,
            due_date=dt.date(2026, 1, 31),
            success_measure="",
        )
        return world


class _Tables(HTMLParser):
    """Each table's caption and rows of cell texts, as a reader sees them."""

    def __init__(self, html):
        super().__init__()
        self.tables, self._cell, self._in_caption = [], None, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._in_caption:
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell.append(data)

    def table(self, caption_start):
        return next(table for table in self.tables if table["caption"].strip().startswith(caption_start))


def _row(rows, label):
    return next(row for row in rows if row and row[0].split(" Superseded")[0].strip() == label)


def _dashboard(client, url, *, row_label="Total"):
    """The figures of one row of a dashboard's two tables (by default their totals)."""
    tables = _Tables(client.get(url).content.decode())
    by_status = _row(tables.table("Actions by status")["rows"], row_label)
    rag = _row(tables.table("Derived RAG and readiness")["rows"], row_label)
    # A figure is a link whose hidden words say what it counts: "3 actions in progress of …".
    counts = dict(zip(FIGURE_COLUMNS, (int(cell.split()[0]) for cell in by_status[2:]), strict=True))
    counts |= dict(zip(RAG_COLUMNS, (int(cell.split()[0]) for cell in rag[1:7]), strict=True))
    return {
        "by status": {status: counts[status] for status in ActionStatus.values if counts[status]},
        "overdue": counts["overdue"],
        "derived RAG": {rag: counts[rag] for rag in ("red", "amber", "green") if counts[rag]},
        "awaiting verification": counts["completed"],
        "recommendations": counts["recommendations"],
        "recommendations done": counts["ready"],
    }


def _plan_page(client):
    tables = _Tables(client.get(reverse("recommendations:action_plan")).content.decode())
    header, *rows = tables.table("")["rows"]  # the actions' table comes first
    status_at, rag_at = header.index("Status"), header.index("Derived RAG")
    statuses = [next(s for label, s in LABEL_STATUS.items() if row[status_at].startswith(label)) for row in rows]
    return {
        "by status": dict(Counter(statuses)),
        "overdue": sum(row[status_at].endswith("Overdue") for row in rows),
        "derived RAG": dict(Counter(row[rag_at].split()[0].lower() for row in rows if row[rag_at] != "Cancelled")),
        "awaiting verification": statuses.count(ActionStatus.COMPLETED),
        "actions": [row[header.index("Description")] for row in rows],
    }


def _csv(client):
    response = client.get(reverse("recommendations:action_plan_csv"))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = [row for row in csv.DictReader(io.StringIO(content)) if row["Action"]]
    statuses = [LABEL_STATUS[row["Status"]] for row in rows]
    return {
        "by status": dict(Counter(statuses)),
        "overdue": sum(
            s in OPEN and dt.date.fromisoformat(r["Due date"]) < TODAY for s, r in zip(statuses, rows, strict=True)
        ),
        "derived RAG": dict(Counter(row["Derived RAG"].lower() for row in rows if row["Derived RAG"])),
        "awaiting verification": statuses.count(ActionStatus.COMPLETED),
        "actions": [row["Action"] for row in rows],
    }


def _xlsx(client):
    sheet = load_workbook(io.BytesIO(client.get(reverse("reporting:plan_xlsx")).content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "Inspection")
    header = rows[header_at]
    records = [dict(zip(header, row, strict=False)) for row in rows[header_at + 1 :] if row[header.index("Status")]]
    statuses = [LABEL_STATUS[record["Status"]] for record in records]
    return {
        "by status": dict(Counter(statuses)),
        "overdue": sum(
            s in OPEN and r["Current due date"].date() < TODAY for s, r in zip(statuses, records, strict=True)
        ),
        # A cancelled action is "Not rated" in the file and left out of the dashboards' RAG counts.
        "derived RAG": dict(
            Counter(rag.lower() for record in records if (rag := record["RAG (derived)"]) and rag != "Not rated")
        ),
        "awaiting verification": statuses.count(ActionStatus.COMPLETED),
        "actions": [record["Action"] for record in records],
    }


def _pdf(client):
    data = client.get(reverse("reporting:plan_pdf")).content
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)
    table = text[text.index("Recommendations to ") :]  # past the cover and the definitions
    statuses = Counter()
    for label, status in sorted(LABEL_STATUS.items(), key=lambda item: -len(item[0])):
        statuses[status] = len(re.findall(rf"\b{re.escape(label)}\b", table))
        table = table.replace(label, "")
    return {
        "by status": {status: n for status, n in statuses.items() if n},
        "derived RAG": {
            rag: n for rag in ("red", "amber", "green") if (n := len(re.findall(rf"\b{rag.title()}\b", table)))
        },
        "draft shown": DRAFT in text,
    }


def _home_count(client, heading):
    html = client.get(reverse("recommendations:home")).content.decode()
    return int(re.search(rf">{re.escape(heading)} \((\d+)\)<", html).group(1))


def _digest_to(email):
    message = next(message for message in mail.outbox if message.to == [email])
    body = message.body
    return {
        "overdue": int(re.search(r"Actions overdue: (\d+)", body).group(1)),
        "not done": int(re.search(r"Recommendations not yet fully verified: (\d+)", body).group(1)),
        "draft shown": DRAFT in body,
    }


def _common(figures, keys=("by status", "overdue", "derived RAG", "awaiting verification")):
    return {key: figures[key] for key in keys if key in figures}


def test_every_page_and_file_gives_the_same_figures(client, plan):
    live = Action.objects.live()
    expected_by_status = dict(Counter(live.values_list("status", flat=True)))
    assert Action.objects.count() == live.count() + 1  # the draft

    with time_machine.travel(NOW, tick=False):
        client.force_login(plan.viewer)
        national = _dashboard(client, reverse("recommendations:national_dashboard"))
        national_region_row = _dashboard(
            client, reverse("recommendations:national_dashboard"), row_label="East Midlands"
        )
        region_url = reverse("recommendations:regional_dashboard", args=[plan.region.slug])
        regional_as_viewer = _dashboard(client, region_url)
        viewer_plan, viewer_csv, viewer_xlsx, viewer_pdf = _plan_page(client), _csv(client), _xlsx(client), _pdf(client)

        client.force_login(plan.director)
        regional = _dashboard(client, region_url)
        director_plan, director_csv = _plan_page(client), _csv(client)
        waiting_for_director = _home_count(client, "Waiting for you to verify")

        client.force_login(plan.leader)
        leaders_overdue = _home_count(client, "Overdue")

    assert national["by status"] == expected_by_status
    assert national["overdue"] == 1
    assert national["awaiting verification"] == 1
    assert national["recommendations done"] == 1
    assert national["derived RAG"]

    # The region covers all of this plan, HMPPS's action on its inspection included: its own
    # dashboard, its row on the national dashboard and the national total agree.
    assert regional == regional_as_viewer == national_region_row == national

    for figures in (viewer_plan, viewer_csv, viewer_xlsx, director_plan, director_csv):
        assert _common(figures) == _common(national)
        assert DRAFT not in figures["actions"]
    assert _common(viewer_pdf, ("by status", "derived RAG")) == _common(national, ("by status", "derived RAG"))
    assert not viewer_pdf["draft shown"]

    assert waiting_for_director == national["awaiting verification"]
    assert leaders_overdue == national["overdue"]  # the overdue action is the leader's

    with time_machine.travel(NOW, tick=False):
        reminder_services.run_sweep(day=TODAY)
    for email in (plan.leader.email, plan.director.email):
        digest = _digest_to(email)
        assert digest["overdue"] == national["overdue"]
        assert digest["not done"] == national["recommendations"] - national["recommendations done"]
        assert not digest["draft shown"]
