"""Recording a new reading of a measure of impact."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from recommendations.scope import can_record_measure_reading

from ..forms import MeasureReadingForm
from ..selectors.measures import measure_summaries, measures_visible_to
from ..services import add_measure_reading


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def record_reading(request, pk):
    measure = get_object_or_404(measures_visible_to(request.user).select_related("unit"), pk=pk)
    if not can_record_measure_reading(request.user, measure.unit):
        raise PermissionDenied("Only the unit's PDU leader or regional director can record a reading.")
    form = MeasureReadingForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            add_measure_reading(measure=measure, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                for message in field_errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, f"Reading recorded for '{measure.name}'.")
            return redirect(_safe_next(request, request.path))
    summary = measure_summaries(measures_visible_to(request.user).filter(pk=measure.pk))[0]
    return render(
        request,
        "reporting/record_reading.html",
        {"measure": measure, "summary": summary, "form": form, "next": _safe_next(request, "")},
    )
