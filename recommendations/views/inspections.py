"""An inspection's page: what the Inspectorate published, and progress on its recommendations."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..selectors.inspections import INSPECTIONS_PER_PAGE, inspection_page, inspections_list
from ..selectors.plans import plans_for_inspection


@require_safe
def inspection_list(request):
    """Every inspection the user may see, with its ratings and the next one expected."""
    # get_page turns a missing, non-numeric or out-of-range page into the nearest real one.
    page = Paginator(inspections_list(user=request.user), INSPECTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "recommendations/inspection_list.html", {"page": page})


@require_safe
def inspection_detail(request, pk):
    page = inspection_page(user=request.user, pk=pk)
    plans = plans_for_inspection(user=request.user, inspection=page.inspection)
    context = {"page": page, "inspection": page.inspection, "plans": plans}
    return render(request, "recommendations/inspection_detail.html", context)
