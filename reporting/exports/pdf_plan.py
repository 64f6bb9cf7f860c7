"""The action plan as a printable PDF, rendered by WeasyPrint from an HTML template."""

from collections import Counter

from django.template.loader import render_to_string
from weasyprint import HTML

from recommendations.models import ActionStatus

from ..selectors.plan_document import PlanDocument


def status_summary(document: PlanDocument) -> list[tuple[str, int]]:
    counts = Counter(row["status_code"] for row in document.rows if row["action_id"])
    return [(label, counts[value]) for value, label in ActionStatus.choices if counts[value]]


def rag_summary(document: PlanDocument) -> list[tuple[str, int]]:
    counts = Counter(row["rag"] for row in document.rows if row["action_id"])
    return [(label, counts[label]) for label in ("Red", "Amber", "Green", "Not rated") if counts[label]]


def render_plan_html(document: PlanDocument) -> str:
    return render_to_string(
        "reporting/plan_pdf.html",
        {
            "document": document,
            "status_summary": status_summary(document),
            "rag_summary": rag_summary(document),
        },
    )


def write_plan_pdf(document: PlanDocument) -> bytes:
    # No base URL: the template holds everything it needs and loads nothing from outside.
    return HTML(string=render_plan_html(document)).write_pdf()
