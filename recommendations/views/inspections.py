"""An inspection's page: what the Inspectorate published, and progress on its recommendations."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..data_cache import cached_part
from ..selectors.inspections import inspection_page


@require_safe
def inspection_detail(request, pk):
    # Kept until the plan's data changes (recommendations.data_cache): the page has no form.
    page = cached_part(request, "inspection", lambda: inspection_page(user=request.user, pk=pk))
    return render(request, "recommendations/inspection_detail.html", {"page": page, "inspection": page.inspection})
