"""Forms for drafting a response plan, submitting it, signing it off and challenging it."""

from django import forms

from .action_forms import VersionedForm
from .govuk import GovUKDateField, GovUKForm, text_field
from .plan import ActionDetailsForm


class DraftActionForm(ActionDetailsForm):
    """A draft action: its due date may still change freely, until the plan is approved."""

    due_date = GovUKDateField(
        label="Due date", error_name="due date", allow_past=False, help_text="For example, 31 3 2027"
    )

    field_order = ["description", "owner", "success_measure", "start_date", "due_date"]

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date must be the same as or after the start date")
        return cleaned


class EditDraftActionForm(VersionedForm, DraftActionForm):
    field_order = DraftActionForm.field_order


class SubmitPlanForm(VersionedForm):
    pass


class SignOffForm(VersionedForm):
    APPROVE, RETURN = "approve", "return"

    decision = forms.ChoiceField(
        label="Do you approve this plan?",
        choices=[(APPROVE, "Yes, approve the plan"), (RETURN, "No, return it with comments")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the plan or return it"},
    )
    comment = text_field(
        label="Comments",
        error_name="your comments",
        max_length=5000,
        required=False,
        help_text="Needed when you return the plan: say what must change before you can approve it.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Enter what must change before the plan can be approved")
        return cleaned


class ChallengeForm(GovUKForm):
    text = text_field(
        label="Your challenge",
        error_name="your challenge",
        max_length=5000,
        help_text="What you want the owner to explain or show. They are asked to reply.",
    )


class ReplyForm(GovUKForm):
    text = text_field(label="Your reply", error_name="your reply", max_length=5000)


class DueDateDecisionForm(GovUKForm):
    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(
        label="Do you approve the new due date?",
        choices=[(APPROVE, "Yes, change the due date"), (REJECT, "No, keep the current due date")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the new due date"},
    )
    comment = text_field(
        label="Comments",
        error_name="your comments",
        max_length=2000,
        required=False,
        help_text="Needed when you reject it: say why the current due date stands.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Enter why the proposed due date is rejected")
        return cleaned
