"""Downloads of the action plan (XLSX, PDF) and of a unit's evidence pack, within the user's scope."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from recommendations.scope import (
    actions_visible_to,
    inspections_visible_to,
    recommendations_visible_to,
    visible_units,
)

from ..exports.evidence_zip import evidence_zip_tempfile
from ..exports.pdf_plan import write_plan_pdf
from ..exports.xlsx_plan import write_plan_xlsx
from ..selectors.evidence_pack import build_evidence_pack
from ..selectors.plan_document import build_plan_document, document_title, plan_querysets

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan_document(request):
    """The plan the user asked for: their scope, narrowed by the action plan page's filters."""
    user = request.user
    unit = inspection = None
    if slug := request.GET.get("unit"):
        unit = visible_units(user).filter(slug=slug).first()
        if unit is None:
            raise Http404("No such unit in your plan.")
    if pk := request.GET.get("inspection"):
        inspection = inspections_visible_to(user).filter(pk=pk if str(pk).isdigit() else None).first()
        if inspection is None:
            raise Http404("No such inspection in your plan.")
    recommendations, actions = plan_querysets(
        recommendations=recommendations_visible_to(user),
        actions=actions_visible_to(user),
        unit=unit,
        inspection=inspection,
    )
    title, subtitle = document_title(unit=unit, inspection=inspection, user=user)
    return build_plan_document(recommendations=recommendations, actions=actions, title=title, subtitle=subtitle)


def _filename(document, extension):
    return f"{slugify(document.title)[:80]}-{document.as_at:%Y-%m-%d}.{extension}"


@login_required
@require_GET
def plan_xlsx(request):
    document = _plan_document(request)
    response = HttpResponse(write_plan_xlsx(document).getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(document, "xlsx")}"'
    return response


@login_required
@require_GET
def plan_pdf(request):
    document = _plan_document(request)
    response = HttpResponse(write_plan_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(document, "pdf")}"'
    return response


@login_required
@require_GET
def evidence_pack(request, slug):
    user = request.user
    unit = get_object_or_404(visible_units(user), slug=slug)
    pack = build_evidence_pack(
        unit=unit,
        recommendations=recommendations_visible_to(user),
        actions=actions_visible_to(user),
        today=timezone.localdate(),
    )
    return FileResponse(
        evidence_zip_tempfile(pack), as_attachment=True, filename=pack.filename, content_type="application/zip"
    )
