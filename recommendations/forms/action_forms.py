"""Forms on an action's pages. Each carries the action's version, for optimistic concurrency."""

from django import forms
from django.core.validators import URLValidator

from ..evidence_files import ALLOWED_DESCRIPTION, ALLOWED_EXTENSIONS, check_evidence_file, max_upload_description
from ..models import OPEN_STATUSES, RAG
from .govuk import GovUKDateField, GovUKForm, text_field
from .plan import ActionDetailsForm


class VersionedForm(GovUKForm):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "This page was out of date. Check the latest details and try again",
            "invalid": "This page was out of date. Check the latest details and try again",
        },
    )


class ProgressForm(VersionedForm):
    narrative = text_field(
        label="What has been done since the last update?",
        error_name="what has been done since the last update",
        max_length=5000,
        help_text="Say what changed and what difference it made, not only what activity took place.",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[(status.value, status.label) for status in OPEN_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose not started, in progress or blocked"},
    )
    rag = forms.ChoiceField(
        label="Your RAG rating",
        choices=RAG.choices,
        widget=forms.RadioSelect,
        help_text="Red: will not be delivered on time. Amber: at risk. Green: on track.",
        error_messages={"required": "Choose red, amber or green"},
    )


class EvidenceForm(VersionedForm):
    title = text_field(label="Title", error_name="a title", max_length=200, textarea=False)
    file = forms.FileField(
        label="Upload a file",
        required=False,
        error_messages={"empty": "The selected file is empty"},
    )
    url = forms.CharField(
        label="Or give a link",
        required=False,
        max_length=1000,
        help_text="For evidence kept elsewhere, such as a page on the intranet. Starts with https://",
        error_messages={"max_length": "The link must be 1,000 characters or fewer"},
    )
    description = text_field(
        label="Description (optional)",
        error_name="the description",
        max_length=2000,
        required=False,
        help_text="What this evidence shows.",
    )
    relates_to = GovUKDateField(
        label="Date the evidence relates to (optional)",
        error_name="date the evidence relates to",
        required=False,
        allow_future=False,
        help_text="For example, the date of an audit or a meeting: 27 3 2026",
    )

    accept = ",".join(ALLOWED_EXTENSIONS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"{ALLOWED_DESCRIPTION}, smaller than {max_upload_description()}."

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            self.evidence_type = check_evidence_file(uploaded)
        return uploaded

    def clean_url(self):
        url = self.cleaned_data.get("url", "").strip()
        if url:
            try:
                URLValidator(schemes=["https", "http"])(url)
            except forms.ValidationError:
                raise forms.ValidationError(
                    "Enter a link in the correct format, like https://intranet.example/page"
                ) from None
        return url

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file")) or bool(self.errors.get("file"))
        has_url = bool(cleaned.get("url")) or bool(self.errors.get("url"))
        if not has_file and not has_url:
            self.add_error("file", "Select a file or give a link")
        elif cleaned.get("file") and cleaned.get("url"):
            self.add_error("url", "Give a file or a link, not both")
        return cleaned

    @property
    def content_type(self):
        kind = getattr(self, "evidence_type", None)
        return kind.content_type if kind else ""


class CompleteForm(VersionedForm):
    narrative = text_field(
        label="Closing update",
        error_name="a closing update",
        required_message="Enter a closing update: what was achieved and what difference it made",
        max_length=5000,
        help_text="What was achieved and what difference it made. A director will check it against the evidence.",
    )


class DueDateForm(VersionedForm):
    new_due_date = GovUKDateField(
        label="New due date", error_name="new due date", allow_past=False, help_text="For example, 31 3 2027"
    )
    reason = text_field(
        label="Why is the due date changing?",
        error_name="the reason for changing the due date",
        max_length=2000,
    )


class EditActionForm(VersionedForm, ActionDetailsForm):
    field_order = ["description", "owner", "success_measure", "start_date"]

    def __init__(self, *args, due_date=None, **kwargs):
        self.due_date = due_date
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start_date")
        if start and self.due_date and start > self.due_date:
            self.add_error("start_date", "The start date must be the same as or before the due date")
        return cleaned


class WithdrawEvidenceForm(VersionedForm):
    reason = text_field(
        label="Why is this evidence being withdrawn?",
        error_name="why this evidence is being withdrawn",
        max_length=2000,
    )


class VerifyForm(VersionedForm):
    comment = text_field(
        label="Comment (optional)",
        error_name="the comment",
        max_length=2000,
        required=False,
        help_text="For example, what in the evidence shows the action is done.",
    )


class ReturnForm(VersionedForm):
    reason = text_field(
        label="What more is needed before this action can be verified?",
        error_name="what more is needed",
        max_length=2000,
    )


class CancelForm(VersionedForm):
    reason = text_field(
        label="Why is this action being cancelled?",
        error_name="why this action is being cancelled",
        max_length=2000,
        help_text="The reason is shown in the action's timeline.",
    )


class ReopenForm(VersionedForm):
    reason = text_field(
        label="Why is this action being reopened?",
        error_name="why this action is being reopened",
        max_length=2000,
        help_text="The reason is shown in the action's timeline. The action must then be completed and verified again.",
    )
