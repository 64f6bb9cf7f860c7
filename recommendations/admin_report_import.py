"""The admin page "Import a published report": upload, preview beside the source, confirm."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.module_loading import import_string

from .date_formats import TYPED_DATE_FORMATS
from .report_import.loading import PUBLICATION_DATE_NEEDED, ReportImportError, load_report, plan_report_import
from .report_import.preview import plan_preview, unit_label

MAX_REPORT_BYTES = 25 * 1024 * 1024


class ReportUploadForm(forms.Form):
    report = forms.FileField(
        label="Published report",
        help_text="The report as published: a PDF, a saved web page (HTML) or its text.",
    )

    def clean_report(self):
        upload = self.cleaned_data["report"]
        if upload.size > MAX_REPORT_BYTES:
            raise forms.ValidationError("The file must be smaller than 25 MB.")
        return upload


class ReportConfirmForm(forms.Form):
    stored_as = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, max_length=200)
    create_units = forms.BooleanField(required=False, label="Create the new units listed above")
    published_on = forms.DateField(
        required=False,
        label="Date of publication",
        input_formats=TYPED_DATE_FORMATS,
        help_text="The report does not say on which day it was published: enter it, e.g. 9/2/2023 or 9 February 2023.",
        error_messages={"invalid": "Enter the date of publication as a date, like 9/2/2023 or 9 February 2023."},
    )


def _storage(name=None):
    # The same waiting room as the spreadsheet imports (and so the same clean-up).
    storage_class = import_string(settings.IMPORT_EXPORT_TMP_STORAGE_CLASS)
    return storage_class(name=name, read_mode="rb")


class ReportImportAdminMixin:
    """Adds "Import a published report" to the inspections' admin."""

    change_list_template = "admin/recommendations/inspection/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_report_view)
        return [path("import-report/", view, name="recommendations_inspection_import_report"), *super().get_urls()]

    def import_report_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import a published report",
        }
        if request.method == "POST" and "stored_as" in request.POST:
            return self._confirm(request, context)
        form = ReportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["report"]
            data = upload.read()
            plan = plan_report_import(data, upload.name)
            storage = _storage()
            storage.save(data)
            context["confirm_form"] = ReportConfirmForm(
                initial={"stored_as": storage.name, "filename": upload.name[:200]}
            )
            return self._preview(request, context, plan)
        context["form"] = form
        return TemplateResponse(request, "admin/recommendations/inspection/import_report.html", context)

    def _preview(self, request, context, plan):
        context.update(
            plan=plan,
            previews=plan_preview(plan),
            proposals=[unit_label(proposal) for proposal in plan.proposals],
        )
        return TemplateResponse(request, "admin/recommendations/inspection/import_report.html", context)

    def _confirm(self, request, context):
        form = ReportConfirmForm(request.POST)
        # A mistyped date is the user's to correct; any other invalid field was tampered with.
        if not form.is_valid() and set(form.errors) != {"published_on"}:
            raise SuspiciousOperation("The confirmation form was altered.")
        storage = _storage(form.cleaned_data["stored_as"])
        try:
            data = storage.read()
        except FileNotFoundError:
            messages.error(request, "The uploaded report is no longer here (it waited too long): upload it again.")
            return redirect(reverse("admin:recommendations_inspection_import_report"))
        published_on = form.cleaned_data.get("published_on")
        plan = plan_report_import(data, form.cleaned_data["filename"], published_on=published_on)
        context["confirm_form"] = form
        if form.errors or plan.needs_publication_date:
            if not form.errors:
                form.add_error("published_on", PUBLICATION_DATE_NEEDED)
            return self._preview(request, context, plan)
        if plan.proposals and not form.cleaned_data["create_units"]:
            context["confirm_error"] = (
                "Tick “Create the new units listed above” to import this report, or add them first."
            )
            return self._preview(request, context, plan)
        try:
            created = load_report(plan=plan, accept_new_units=form.cleaned_data["create_units"], by=request.user)
        except ReportImportError:
            # The preview lists the problems and offers no confirmation.
            return self._preview(request, context, plan)
        storage.remove()
        if created:
            count = sum(inspection.recommendations.count() for inspection in created)
            messages.success(request, f"Imported {len(created)} inspection(s) with {count} recommendation(s).")
        else:
            messages.info(request, "This report was already imported: nothing changed.")
        return redirect(reverse("admin:recommendations_inspection_changelist"))
