"""Adding, withdrawing and downloading evidence. Files are only ever served from here,
after a scope check, as attachments under a name the service chooses."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from .. import services, workflow
from ..evidence_files import download_filename
from ..forms.action_forms import EvidenceForm, WithdrawEvidenceForm
from ..models import EvidenceKind
from ..selectors.actions import get_visible_evidence
from ..stored_files import open_stored_file, presigned_download_url
from .action_pages import ActionFormView
from .form_pages import ServiceFormView


class AddEvidenceView(ActionFormView):
    form_class = EvidenceForm
    template_name = "recommendations/evidence_form.html"
    heading = "Add evidence"
    button_text = "Add evidence"
    success_message = "Evidence added."

    def allowed(self):
        return workflow.may_change("add_evidence", action=self.object, user=self.request.user)

    def refusal(self):
        return workflow.change_refusal("add_evidence", self.object)

    def perform(self, form):
        data = form.cleaned_data
        services.add_evidence(
            action=self.object,
            added_by=self.request.user,
            title=data["title"],
            description=data["description"],
            relates_to=data["relates_to"],
            uploaded_file=data["file"],
            url=data["url"],
            content_type=form.content_type,
        )


class WithdrawEvidenceView(ServiceFormView):
    form_class = WithdrawEvidenceForm
    template_name = "recommendations/withdraw_evidence.html"
    heading = "Withdraw evidence"
    button_text = "Withdraw evidence"
    success_message = "Evidence withdrawn. It stays on record, marked as withdrawn."

    def load(self, pk):
        return get_visible_evidence(user=self.request.user, pk=pk)

    def allowed(self):
        return workflow.may_change("withdraw_evidence", action=self.object.action, user=self.request.user)

    def refusal(self):
        return workflow.change_refusal("withdraw_evidence", self.object.action)

    def initial(self):
        return {"version": self.object.action.version}

    def current_version(self):
        return self.object.action.version

    def context(self):
        return {"evidence": self.object, "action": self.object.action}

    def perform(self, form):
        services.withdraw_evidence(
            evidence=self.object,
            by=self.request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )

    def success_url(self):
        return reverse("recommendations:action_detail", args=[self.object.action_id])


@require_safe
def download_evidence(request, pk):
    # The scope check comes first: a presigned URL is handed out only to someone who may see the file.
    evidence = get_visible_evidence(user=request.user, pk=pk)
    if evidence.kind != EvidenceKind.FILE or not evidence.file:
        raise Http404("This evidence is a link, not a file.")
    filename = download_filename(original_filename=evidence.original_filename, stored_name=evidence.file.name)
    content_type = evidence.content_type or "application/octet-stream"
    if settings.EVIDENCE_DOWNLOAD == "redirect":
        url = presigned_download_url(evidence.file.name, filename=filename, content_type=content_type)
        if url:
            response = HttpResponseRedirect(url)
            add_never_cache_headers(response)
            return response
    try:
        handle = open_stored_file(evidence.file.name)
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    if evidence.size is not None and not response.has_header("Content-Length"):
        response["Content-Length"] = str(evidence.size)
    return response
