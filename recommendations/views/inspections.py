"""An inspection's page: what the Inspectorate published, and progress on its recommendations."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..selectors.inspections import inspection_page


@require_safe
def inspection_detail(request, pk):
    page = inspection_page(user=request.user, pk=pk)
    return render(request, "recommendations/inspection_detail.html", {"page": page, "inspection": page.inspection})
