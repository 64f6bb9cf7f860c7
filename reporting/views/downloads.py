"""Downloads of the action plan (XLSX, PDF, Word) and of a unit's evidence pack, within the user's scope."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.validators import slug_unicode_re
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from recommendations.scope import actions_visible_to, recommendations_visible_to, visible_units

from ..exports.docx_plan import write_plan_docx
from ..exports.evidence_zip import evidence_zip_tempfile
from ..exports.pdf_plan import write_plan_pdf
from ..exports.xlsx_plan import write_plan_xlsx
from ..selectors.evidence_pack import build_evidence_pack
from ..selectors.plan_document import plan_document

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _plan_document(request):
    """The plan the user asked for: their scope, narrowed by the action plan page's own filters.

    `within=<unit slug>` (from the reports page) takes a whole unit's plan: a region's
    includes its PDUs', where the page's `unit` filter means the one unit responsible.
    """
    within = None
    if slug := request.GET.get("within"):
        # Not a slug (a NUL byte, say, which the database would refuse) names no unit.
        if not slug_unicode_re.fullmatch(slug):
            raise Http404("No unit has that address")
        within = get_object_or_404(visible_units(request.user), slug=slug)
    return plan_document(user=request.user, params=request.GET, unit=within)


def _filename(document, extension):
    return f"{slugify(document.title)[:80]}-{document.as_at:%Y-%m-%d}.{extension}"


def _attachment(document, content: bytes, *, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(document, extension)}"'
    return response


@login_required
@require_GET
def plan_xlsx(request):
    document = _plan_document(request)
    return _attachment(document, write_plan_xlsx(document).getvalue(), content_type=XLSX_TYPE, extension="xlsx")


@login_required
@require_GET
def plan_docx(request):
    """The plan as a Word document in HMPPS's layout, for owners to edit before it is sent."""
    document = _plan_document(request)
    return _attachment(document, write_plan_docx(document).getvalue(), content_type=DOCX_TYPE, extension="docx")


@login_required
@require_GET
def plan_pdf(request):
    document = _plan_document(request)
    if len(document.rows) > settings.PLAN_PDF_MAX_ROWS:
        # Laying out thousands of actions takes minutes and a lot of memory: ask for a smaller plan instead.
        return render(
            request,
            "reporting/pdf_too_large.html",
            {"document": document, "limit": settings.PLAN_PDF_MAX_ROWS, "query": request.GET.urlencode()},
            status=413,
        )
    return _attachment(document, write_plan_pdf(document), content_type="application/pdf", extension="pdf")


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
