"""An inspection's page: what the Inspectorate published, and progress on its recommendations."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..data_cache import cached_part
from ..selectors.inspections import inspection_page
from ..selectors.plans import plans_for_inspection


@require_safe
def inspection_detail(request, pk):
    # Kept until the plan's data changes (recommendations.data_cache): the page has no form.
    page = cached_part(request, "inspection", lambda: inspection_page(user=request.user, pk=pk))
    # The response plans' states are read for each request: they are not part of the cached page.
    plans = plans_for_inspection(user=request.user, inspection=page.inspection)
    context = {"page": page, "inspection": page.inspection, "plans": plans}
    return render(request, "recommendations/inspection_detail.html", context)
