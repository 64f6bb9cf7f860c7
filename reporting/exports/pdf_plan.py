"""The action plan as a printable PDF in HMPPS's layout (hmpps_layout), rendered by WeasyPrint from HTML."""

from django.template.loader import render_to_string
from weasyprint import HTML

from ..selectors.plan_document import PlanDocument
from .hmpps_layout import hmpps_action_plan


def render_plan_html(document: PlanDocument) -> str:
    return render_to_string("reporting/plan_pdf.html", {"plan": hmpps_action_plan(document), "document": document})


def write_plan_pdf(document: PlanDocument) -> bytes:
    # No base URL: the template holds everything it needs and loads nothing from outside.
    return HTML(string=render_plan_html(document)).write_pdf()
