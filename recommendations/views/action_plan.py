"""The action plan page and its CSV download: the same rows, scope and filters."""

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from ..data_cache import cached_download, cached_part
from ..exports.csv_plan import COLUMNS as CSV_COLUMNS
from ..exports.csv_plan import stream_plan_csv
from ..selectors.action_plan import action_plan_rows
from ..tables.action_plan import PER_PAGE, ActionPlanTable, PlanRowData


@login_required
@require_safe
def action_plan(request):
    # The filters, table and downloads are worked out once and cached until the plan's
    # data changes; the page around them (header, messages) is made for each request.
    content, has_errors = cached_part(request, "action_plan", lambda: _plan_content(request))
    return render(request, "plan/action_plan.html", {"content": content, "page_has_errors": has_errors})


def _plan_content(request):
    plan = action_plan_rows(user=request.user, today=timezone.localdate(), params=request.GET)
    table = ActionPlanTable(PlanRowData(plan.pages))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    download_query = request.GET.copy()
    download_query.pop("page", None)
    context = {
        "table": table,
        "filterset": plan.filterset,
        "form": plan.filterset.form,
        "selected_filters": plan.filterset.selected_filters(request.GET, path=request.path),
        "download_query": download_query.urlencode(),
    }
    return render_to_string("plan/_action_plan_content.html", context, request), bool(plan.filterset.form.errors)


@login_required
@require_safe
def action_plan_csv(request):
    today = timezone.localdate()

    def csv_lines():
        plan = action_plan_rows(user=request.user, today=today, params=request.GET)
        # The table validates the sort the user chose, so the file comes in the order the page shows.
        table = ActionPlanTable(PlanRowData(plan.pages), order_by=request.GET.get("sort"))
        return stream_plan_csv(table.data.data.iterator(chunk_size=2000, columns=CSV_COLUMNS))

    # Made afresh only when the plan has changed since the user last downloaded it.
    content = cached_download(request, "action_plan_csv", csv_lines)
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="action-plan-{today.isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    return response
