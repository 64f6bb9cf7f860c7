"""The admin's action pages obey the same rules as the service's own pages.

An action's status and due date are never edited as fields in the admin: each move
(complete, verify, return, cancel, reopen) and each change of due date is a button on the
action's admin page that opens a short form and calls the service, which checks the move
against recommendations.workflow. A refusal is shown as a message; nothing changes.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from . import scope, services, workflow
from .models import Action
from .services import details


def _text(label, *, required=True):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))


class _MoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class _ReasonForm(_MoveForm):
    reason = _text("Reason (shown in the action's timeline)")


class _CompleteForm(_MoveForm):
    narrative = _text("Closing update: what was achieved and what difference it made")


class _VerifyForm(_MoveForm):
    comment = _text("Comment (optional)", required=False)


class _DueDateForm(_MoveForm):
    new_due_date = forms.DateField(label="New due date", widget=forms.DateInput(attrs={"type": "date"}))
    reason = _text("Why is the due date changing?")


def _call(service, argument):
    def perform(action, by, data):
        return service(action=action, by=by, expected_version=data["version"], **{argument: data[argument]})

    return perform


# Each admin move: its form and the service it calls.
ADMIN_MOVES = {
    "complete": (_CompleteForm, _call(services.mark_complete, "narrative")),
    "verify": (_VerifyForm, _call(services.verify_action, "comment")),
    "return": (_ReasonForm, _call(services.return_action, "reason")),
    "cancel": (_ReasonForm, _call(services.cancel_action, "reason")),
    "reopen": (_ReasonForm, _call(services.reopen_action, "reason")),
    "due-date": (
        _DueDateForm,
        lambda action, by, data: services.revise_due_date(
            action=action,
            by=by,
            new_due_date=data["new_due_date"],
            reason=data["reason"],
            expected_version=data["version"],
        ),
    ),
}


def _label(move: str) -> str:
    return "Change the due date" if move == "due-date" else workflow.MOVES[move].label


class ActionAdminForm(forms.ModelForm):
    """The details an administrator may edit, checked as the service will check them."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Action
        fields = ("recommendation", "description", "owner", "unit", "success_measure", "start_date", "due_date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        action = self.instance
        if action.pk:
            stored = Action.objects.get(pk=action.pk)
            if cleaned.get("expected_version") != stored.version:
                raise ValidationError(services.StaleEditError().message)
            if refusal := workflow.change_refusal("edit_details", stored):
                raise ValidationError(refusal)
        elif cleaned.get("recommendation") and cleaned.get("unit"):
            details.refuse_beside_a_draft_plan(recommendation=cleaned["recommendation"], unit=cleaned["unit"])
        owner, unit = cleaned.get("owner"), cleaned.get("unit") or getattr(action, "unit", None)
        if owner is not None and unit is not None and not scope.may_own_actions_of(owner, unit):
            self.add_error("owner", f"{owner} cannot own an action of {unit}: choose someone who acts for {unit}.")
        return cleaned


class ActionMovesMixin:
    """Buttons and pages for an action's moves in the admin; saving goes through the services."""

    form = ActionAdminForm
    change_form_template = "admin/recommendations/action/change_form.html"

    def get_urls(self):
        own = [
            path(
                "<int:object_id>/move/<str:move>/",
                self.admin_site.admin_view(self.move_view),
                name="recommendations_action_move",
            )
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        action = self.get_object(request, object_id)
        moves = []
        if action is not None:
            names = [move.name for move in workflow.available_moves(action=action, user=request.user)]
            if not workflow.change_refusal("revise_due_date", action):
                names.append("due-date")
            moves = [
                (_label(name), reverse("admin:recommendations_action_move", args=[action.pk, name]))
                for name in names
                if name in ADMIN_MOVES
            ]
        extra_context = {**(extra_context or {}), "action_moves": moves, "workflow_table": workflow.table()}
        return super().change_view(request, object_id, form_url, extra_context)

    def move_view(self, request, object_id, move):
        if move not in ADMIN_MOVES:
            raise PermissionDenied
        action = get_object_or_404(Action, pk=object_id)
        if not self.has_change_permission(request, action):
            raise PermissionDenied
        form_class, perform = ADMIN_MOVES[move]
        change_url = reverse("admin:recommendations_action_change", args=[action.pk])
        if request.method == "POST":
            form = form_class(request.POST)
            if form.is_valid():
                try:
                    perform(action, request.user, form.cleaned_data)
                except ValidationError as error:
                    for message in error.messages:
                        self.message_user(request, message, messages.ERROR)
                else:
                    self.message_user(request, f"{_label(move)}: done.", messages.SUCCESS)
                    return redirect(change_url)
        else:
            form = form_class(initial={"version": action.version})
        context = {
            **self.admin_site.each_context(request),
            "title": f"{_label(move)}: {action}",
            "opts": self.model._meta,
            "original": action,
            "form": form,
            "change_url": change_url,
            "button": _label(move),
        }
        return TemplateResponse(request, "admin/recommendations/action/move_form.html", context)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = services.update_action_details(
                action=obj,
                by=request.user,
                expected_version=data["expected_version"],
                description=data["description"],
                owner=data["owner"],
                success_measure=data["success_measure"],
                start_date=data["start_date"],
                unit=data["unit"],
            )
        else:
            saved = services.create_action(
                recommendation=data["recommendation"],
                description=data["description"],
                owner=data["owner"],
                unit=data["unit"],
                due_date=data["due_date"],
                created_by=request.user,
                success_measure=data["success_measure"],
                start_date=data["start_date"],
            )
        # The admin goes on to log and redirect with the object it was given: give it what was saved.
        obj.__dict__.update(saved.__dict__)
