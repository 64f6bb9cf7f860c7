"""Importing a region's action-plan spreadsheet, and the template and export it reads.

For administrators: upload a CSV or XLSX file, see every row's errors (nothing is written
unless every row is valid), then confirm.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from ..forms.govuk import GovUKForm
from ..models import Action
from ..plan_spreadsheet.applying import import_plan
from ..plan_spreadsheet.export import action_rows
from ..plan_spreadsheet.files import write_csv, write_xlsx

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class PlanUploadForm(GovUKForm):
    spreadsheet = forms.FileField(
        label="Action plan spreadsheet",
        help_text="An Excel workbook (.xlsx) or CSV file with the template's headings in row 1.",
        error_messages={"required": "Choose the spreadsheet to import."},
    )

    def clean_spreadsheet(self):
        upload = self.cleaned_data["spreadsheet"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV or Excel workbook (.xlsx).")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 10 MB.")
        return upload


def _administrator(request):
    if not request.user.is_administrator:
        raise PermissionDenied("Only administrators can import action plans.")


def _storage(name=None):
    # The spreadsheet waits between preview and confirmation where the admin imports keep theirs.
    return import_string(settings.IMPORT_EXPORT_TMP_STORAGE_CLASS)(name=name, read_mode="rb")


def _download(content: bytes, name: str, file_format: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


@login_required
def plan_template(request, file_format):
    _administrator(request)
    if file_format not in CONTENT_TYPES:
        raise Http404
    content = write_xlsx([]) if file_format == "xlsx" else write_csv([])
    return _download(content, "action-plan-template", file_format)


@login_required
def plan_export(request, file_format):
    _administrator(request)
    if file_format not in CONTENT_TYPES:
        raise Http404
    rows = action_rows(Action.objects.all())
    content = write_xlsx(rows) if file_format == "xlsx" else write_csv(rows)
    return _download(content, f"action-plan-{timezone.localdate():%Y-%m-%d}", file_format)


@login_required
def plan_import(request):
    _administrator(request)
    if request.method == "POST" and "stored_as" in request.POST:
        return _confirm(request)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["spreadsheet"]
        data = upload.read()
        result = import_plan(data, upload.name, by=request.user, commit=False)
        context["result"] = result
        if result.is_valid:
            storage = _storage()
            storage.save(data)
            context.update(stored_as=storage.name, filename=upload.name[:200])
    return render(request, "plan/import.html", context)


def _confirm(request):
    name, filename = request.POST.get("stored_as", ""), request.POST.get("filename", "")[:200]
    storage = _storage(name)
    try:
        data = storage.read()
    except (FileNotFoundError, SuspiciousOperation):
        messages.error(request, "The uploaded spreadsheet is no longer here: upload it again.")
        return redirect(reverse("recommendations:plan_import"))
    result = import_plan(data, filename, by=request.user, commit=True)
    if not result.is_valid:
        # The plan changed since the preview: show what is wrong now; nothing was written.
        return render(request, "plan/import.html", {"form": PlanUploadForm(), "result": result})
    storage.remove()
    messages.success(
        request,
        f"Imported {filename}: {result.created} new action(s), {result.updated} updated, {result.unchanged} unchanged.",
    )
    return redirect(reverse("recommendations:action_plan"))
