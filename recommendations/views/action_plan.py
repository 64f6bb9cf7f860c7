"""The action plan page and its CSV download: the same actions, scope and filters."""

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from ..exports.csv_plan import stream_plan_csv
from ..selectors.action_plan import action_plan as find_action_plan
from ..tables.action_plan import ActionPlanTable, UnansweredPaginator, UnansweredRecommendationTable


@login_required
@require_safe
def action_plan(request):
    plan = find_action_plan(user=request.user, today=timezone.localdate(), params=request.GET)
    table = ActionPlanTable(plan.actions)
    unanswered = UnansweredRecommendationTable(plan.unanswered, prefix="unanswered-")
    RequestConfig(request).configure(table)
    RequestConfig(request, paginate={"paginator_class": UnansweredPaginator}).configure(unanswered)
    download_query = request.GET.copy()
    for name in ("page", "unanswered-page"):
        download_query.pop(name, None)
    context = {
        "table": table,
        "unanswered": unanswered,
        "filterset": plan.filterset,
        "form": plan.filterset.form,
        "selected_filters": plan.filterset.selected_filters(request.GET, path=request.path),
        "download_query": download_query.urlencode(),
    }
    return render(request, "plan/action_plan.html", context)


@login_required
@require_safe
def action_plan_csv(request):
    today = timezone.localdate()
    plan = find_action_plan(user=request.user, today=today, params=request.GET)
    # The table validates the sort the user chose, so the file comes in the order the page shows.
    table = ActionPlanTable(plan.actions, order_by=request.GET.get("sort"))
    ordering = table.data.data.query.order_by if request.GET.get("sort") else None
    response = StreamingHttpResponse(
        stream_plan_csv(plan.rows(ordering=ordering)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="action-plan-{today.isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    return response
