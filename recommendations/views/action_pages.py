"""An action's page and the forms that change it: progress, completion, due date, details,
verification and return. Every change goes through recommendations.services."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from reminders.selectors import notifications_for_action

from .. import due_date_proposals, plan_sign_off, scope, services, workflow
from ..forms.action_forms import (
    CancelForm,
    CompleteForm,
    DueDateForm,
    EditActionForm,
    ProgressForm,
    ReopenForm,
    ReturnForm,
    VerifyForm,
)
from ..forms.plan_sign_off import DueDateDecisionForm
from ..models import DueDateProposal, ProposalState
from ..selectors.actions import action_page, get_visible_action
from ..selectors.challenges import comments_on, threads_for, with_comments
from ..selectors.due_date_proposals import pending_proposal, proposal_entries, proposals_of
from ..selectors.recommendations import owners_for_units
from ..selectors.verification import standing_of, verification_of
from .form_pages import ServiceFormView


@require_safe
def action_detail(request, pk):
    page = action_page(user=request.user, pk=pk, today=timezone.localdate())
    notifications = notifications_for_action(page.action)
    # Challenges and replies are merged into the timeline of progress and due-date changes.
    comments = comments_on(page.action)
    threads = threads_for(page.action, user=request.user, comments=comments)
    proposals = proposals_of(page.action)
    context = {
        "page": page,
        "action": page.action,
        "notifications": notifications,
        "timeline": with_comments(page.timeline + proposal_entries(proposals), comments),
        "pending_proposal": pending_proposal(proposals),
        "draft_in": plan_sign_off.draft_plan_of(page.action),
        "can_propose_due_date": scope.can_propose_due_date(request.user, page.action),
        "can_decide_due_date": scope.can_decide_due_date(request.user, page.action),
        "replyable": {thread.challenge.pk for thread in threads if thread.can_reply},
        "can_challenge": scope.can_challenge(request.user, page.action),
    }
    return render(request, "recommendations/action_detail.html", context)


class ActionFormView(ServiceFormView):
    """A form about one action; every one carries the version the user saw."""

    template_name = "recommendations/action_form.html"

    def load(self, pk):
        return get_visible_action(user=self.request.user, pk=pk)

    def allowed(self):
        return scope.can_edit_action(self.request.user, self.object)

    def initial(self):
        return {"version": self.object.version}

    def success_url(self):
        return reverse("recommendations:action_detail", args=[self.object.pk])

    def context(self):
        return {"action": self.object}


class LogProgressView(ActionFormView):
    form_class = ProgressForm
    heading = "Log progress"
    button_text = "Save update"
    success_message = "Progress update saved."

    template_name = "recommendations/progress_form.html"

    def initial(self):
        # No rating is chosen for the owner: they rate the action afresh each time, beside the derived rating.
        return {**super().initial(), "status": self.object.status}

    def context(self):
        return {**super().context(), "standing": standing_of(self.object, today=timezone.localdate())}

    def perform(self, form):
        data = form.cleaned_data
        services.log_progress(
            action=self.object,
            author=self.request.user,
            narrative=data["narrative"],
            status=data["status"],
            rag=data["rag"],
            expected_version=data["version"],
        )


class MarkCompleteView(ActionFormView):
    form_class = CompleteForm
    template_name = "recommendations/complete_form.html"
    heading = "Mark this action complete"
    button_text = "Mark complete"
    success_message = "Action marked complete. A regional director will verify it."

    def context(self):
        # Said before the closing update is typed, not after: completion needs current evidence.
        return {**super().context(), "has_evidence": self.object.evidence.current().exists()}

    def perform(self, form):
        services.mark_complete(
            action=self.object,
            by=self.request.user,
            narrative=form.cleaned_data["narrative"],
            expected_version=form.cleaned_data["version"],
        )


class ReviseDueDateView(ActionFormView):
    form_class = DueDateForm
    heading = "Change the due date"
    button_text = "Change due date"
    success_message = "Due date changed. The original due date is kept."

    def allowed(self):
        return scope.can_manage_plan(self.request.user, self.object.recommendation) and not self.refusal()

    def refusal(self):
        return workflow.change_refusal("revise_due_date", self.object)

    def perform(self, form):
        services.revise_due_date(
            action=self.object,
            new_due_date=form.cleaned_data["new_due_date"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
            expected_version=form.cleaned_data["version"],
        )


class ProposeDueDateView(ActionFormView):
    form_class = DueDateForm
    heading = "Propose a new due date"
    button_text = "Send proposal"
    success_message = "New due date proposed. The regional director will approve or reject it."

    def allowed(self):
        return scope.can_propose_due_date(self.request.user, self.object)

    def perform(self, form):
        due_date_proposals.propose_due_date(
            action=self.object,
            by=self.request.user,
            new_due_date=form.cleaned_data["new_due_date"],
            reason=form.cleaned_data["reason"],
        )


class DecideDueDateView(ActionFormView):
    """Approve or reject the due date the action's unit proposed; the address names the proposal."""

    form_class = DueDateDecisionForm
    template_name = "recommendations/due_date_decision_form.html"
    heading = "Decide on the proposed due date"
    button_text = "Save decision"

    def load(self, pk):
        self.proposal = get_object_or_404(
            DueDateProposal.objects.filter(state=ProposalState.PENDING).select_related("proposed_by"), pk=pk
        )
        return get_visible_action(user=self.request.user, pk=self.proposal.action_id)

    def allowed(self):
        return scope.can_decide_due_date(self.request.user, self.object)

    def context(self):
        return {**super().context(), "proposal": self.proposal}

    def perform(self, form):
        approve = form.cleaned_data["decision"] == DueDateDecisionForm.APPROVE
        due_date_proposals.decide_due_date_proposal(
            proposal=self.proposal, by=self.request.user, approve=approve, comment=form.cleaned_data["comment"]
        )
        self.success_message = "Due date changed." if approve else "Proposed due date rejected."


class EditActionView(ActionFormView):
    form_class = EditActionForm
    heading = "Edit action details"
    button_text = "Save changes"
    success_message = "Action details saved."

    def allowed(self):
        return scope.can_manage_plan(self.request.user, self.object.recommendation) and not self.refusal()

    def refusal(self):
        return workflow.change_refusal("edit_details", self.object)

    def form_kwargs(self):
        units = scope.editable_units(self.request.user).filter(is_legacy=False)
        return {"owners": owners_for_units(units), "due_date": self.object.due_date}

    def initial(self):
        action = self.object
        return {
            **super().initial(),
            "description": action.description,
            "owner": action.owner_id,
            "success_measure": action.success_measure,
            "start_date": action.start_date,
        }

    def perform(self, form):
        data = form.cleaned_data
        services.update_action_details(
            action=self.object,
            by=self.request.user,
            expected_version=data["version"],
            description=data["description"],
            owner=data["owner"],
            success_measure=data["success_measure"],
            start_date=data["start_date"],
        )


class VerifyActionView(ActionFormView):
    form_class = VerifyForm
    template_name = "recommendations/verify_form.html"
    heading = "Verify this action"
    button_text = "Verify"
    success_message = "Action verified."

    def context(self):
        return {**super().context(), "verification": verification_of(self.object, today=timezone.localdate())}

    def allowed(self):
        return scope.can_verify(self.request.user, self.object)

    def refusal(self):
        # Never a dead end: say who can verify it instead.
        return workflow.move_refusal("verify", action=self.object, by=self.request.user)

    def perform(self, form):
        services.verify_action(
            action=self.object,
            by=self.request.user,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        )


class ReturnActionView(ActionFormView):
    form_class = ReturnForm
    heading = "Return this action for more evidence"
    button_text = "Return action"
    success_message = "Action returned to its owner for more evidence."

    def allowed(self):
        return scope.can_verify(self.request.user, self.object)

    def refusal(self):
        return workflow.move_refusal("return", action=self.object, by=self.request.user)

    def perform(self, form):
        services.return_action(
            action=self.object,
            by=self.request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )


class CancelActionView(ActionFormView):
    form_class = CancelForm
    heading = "Cancel this action"
    button_text = "Cancel action"
    success_message = "Action cancelled. The reason is shown in its timeline."

    def allowed(self):
        return scope.can_manage_plan(self.request.user, self.object.recommendation)

    def perform(self, form):
        services.cancel_action(
            action=self.object,
            by=self.request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )


class ReopenActionView(ActionFormView):
    form_class = ReopenForm
    heading = "Reopen this action"
    button_text = "Reopen action"
    success_message = "Action reopened. The reason is shown in its timeline."

    def allowed(self):
        return scope.can_manage_plan(self.request.user, self.object.recommendation)

    def perform(self, form):
        services.reopen_action(
            action=self.object,
            by=self.request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
