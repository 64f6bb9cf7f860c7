"""The action plan page and its CSV download: the same actions, scope and filters."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from ..exports.csv_plan import ROW_COLUMNS_USED, stream_plan_csv
from ..plan_columns import CHOOSABLE_COLUMNS, choose_plan_columns, hidden_plan_columns
from ..selectors.action_plan import JointLabels
from ..selectors.action_plan import action_plan as find_action_plan
from ..tables.action_plan import ActionPlanTable, UnansweredPaginator, UnansweredRecommendationTable


@login_required
@require_safe
def action_plan(request):
    plan = find_action_plan(user=request.user, today=timezone.localdate(), params=request.GET)
    hidden = hidden_plan_columns(request.user)
    joint = JointLabels()
    table = ActionPlanTable(plan.actions, joint_labels=joint)
    # The columns the user hides are left off the screen only: a printed plan has every column.
    for name in hidden:
        table.columns[name].column.screen_only_hidden = True
    unanswered = UnansweredRecommendationTable(plan.unanswered, prefix="unanswered-", joint_labels=joint)
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
        "column_choices": [(name, label, name not in hidden) for name, label in CHOOSABLE_COLUMNS.items()],
        "plan_query": request.GET.urlencode(),
    }
    return render(request, "plan/action_plan.html", context)


@login_required
@require_POST
def choose_columns(request):
    """Remember the columns the user chose, and go back to the plan as it was (its filters and page)."""
    try:
        choose_plan_columns(user=request.user, columns=request.POST.getlist("columns"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your choice of columns is saved. The plan will show them whenever you sign in.")
    # Only a query string is taken back, never an address: the redirect stays on the plan.
    query = QueryDict(request.POST.get("plan_query", "")).urlencode()
    plan = reverse("recommendations:action_plan")
    return redirect(f"{plan}?{query}" if query else plan)


@login_required
@require_safe
def action_plan_csv(request):
    today = timezone.localdate()
    plan = find_action_plan(user=request.user, today=today, params=request.GET)
    # The table validates the sort the user chose, so the file comes in the order the page shows.
    table = ActionPlanTable(plan.actions, order_by=request.GET.get("sort"))
    ordering = table.data.data.query.order_by if request.GET.get("sort") else None
    response = StreamingHttpResponse(
        stream_plan_csv(plan.row_values(ROW_COLUMNS_USED, ordering=ordering)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="action-plan-{today.isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    return response
