"""The action page: details, derived RAG, the merged timeline and the evidence list."""

import datetime as dt
from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from .. import scope, workflow
from ..models import Action, ActionStatus, Evidence, User
from ..models.rag import RagAssessment, assess_rag, is_self_rating_optimistic


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "update", "due_date", "returned", "challenge" or "reply"
    title: str
    by: object
    text: str
    # For a progress update: the status and RAG it recorded.
    status: str = ""
    rag: str = ""
    # For a due-date revision: the dates.
    previous_due_date: dt.date | None = None
    new_due_date: dt.date | None = None
    # For a challenge or reply: the comment, so that a challenge can link to its reply form.
    comment_pk: int | None = None


@dataclass
class ActionPage:
    action: Action
    timeline: list
    evidence: list
    rag: RagAssessment
    self_rag_optimistic: bool
    can_edit: bool
    can_manage: bool
    can_verify: bool
    can_view_history: bool = False
    can_change_evidence: bool = False
    can_withdraw_evidence: bool = False
    # Moves the user may make now (cancel, reopen: the ones without their own button).
    can_cancel: bool = False
    can_reopen: bool = False
    # Who may verify it, named, for anyone who cannot (never a dead end).
    who_can_verify: str = ""

    @property
    def current_evidence(self):
        return [item for item in self.evidence if not item.is_withdrawn]


# The people who completed, verified or returned an action. They are read in one query
# of their own: joining the user table once for each would take the action's query past
# eight joins, which PostgreSQL takes several milliseconds to plan.
STAMPED_BY = ("completed_by", "verified_by", "returned_by")


def get_visible_action(*, user, pk: int) -> Action:
    """The action, if the user may see it (404 otherwise), with what its pages show."""
    # Not the inspected unit: the action's pages name the inspection, and the access rules
    # read its unit's id only. One join fewer is less for PostgreSQL to plan on every page.
    action = get_object_or_404(
        scope.actions_visible_to(user).select_related(
            "recommendation__inspection",
            "recommendation__addressed_to",
            "unit",
            "owner",
        ),
        pk=pk,
    )
    people = User.objects.in_bulk({getattr(action, f"{field}_id") for field in STAMPED_BY} - {None})
    for field in STAMPED_BY:
        if getattr(action, f"{field}_id") is not None:
            setattr(action, field, people[getattr(action, f"{field}_id")])
    return action


def get_visible_evidence(*, user, pk: int) -> Evidence:
    return get_object_or_404(
        scope.evidence_visible_to(user).select_related(
            "action__recommendation__inspection__unit", "action__recommendation__addressed_to", "action__unit"
        ),
        pk=pk,
    )


# How recommendations.services.return_action words the update that reopens an action.
RETURNED_PREFIX = "Returned for more evidence: "


def _update_entry(update) -> TimelineEntry:
    if update.status == ActionStatus.IN_PROGRESS and update.narrative.startswith(RETURNED_PREFIX):
        # A director's return is not the owner's progress: it says who returned it and why, without a rating.
        reason = update.narrative.removeprefix(RETURNED_PREFIX)
        return TimelineEntry(
            at=update.created_at,
            kind="returned",
            title="Returned for more evidence",
            by=update.author,
            text=f"Returned for more evidence by {update.author}, reason: {reason}",
        )
    return TimelineEntry(
        at=update.created_at,
        kind="update",
        title="Closing update" if update.is_closing else update.get_status_display(),
        by=update.author,
        text=update.narrative,
        status=update.status,
        rag=update.rag,
    )


def timeline_for(action: Action) -> list[TimelineEntry]:
    """Progress updates and due-date revisions in one list, newest first."""
    entries = [
        _update_entry(update)
        # Ordered here rather than by the model's default, which sorts by the action
        # and so joins the action, recommendation and inspection tables for nothing.
        for update in action.updates.select_related("author").order_by("-created_at", "-id")
    ]
    entries += [
        TimelineEntry(
            at=revision.revised_at,
            kind="due_date",
            title="Due date changed",
            by=revision.revised_by,
            text=revision.reason,
            previous_due_date=revision.previous_due_date,
            new_due_date=revision.new_due_date,
        )
        for revision in action.due_date_revisions.select_related("revised_by").order_by("-revised_at", "-id")
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def action_page(*, user, pk: int, today: dt.date) -> ActionPage:
    action = get_visible_action(user=user, pk=pk)
    evidence = list(action.evidence.select_related("added_by", "withdrawn_by").order_by("-added_at", "-id"))
    rag = assess_rag(
        status=action.status,
        due_date=action.due_date,
        last_activity_at=action.last_update_at or action.created_at,
        has_evidence=any(not item.is_withdrawn for item in evidence),
        today=today,
    )
    can_manage = scope.can_manage_plan(user, action.recommendation)
    can_edit = scope.can_edit_action(user, action)
    return ActionPage(
        action=action,
        timeline=timeline_for(action),
        evidence=evidence,
        rag=rag,
        self_rag_optimistic=is_self_rating_optimistic(self_rag=action.self_rag, derived=rag.rating),
        can_edit=can_edit,
        can_manage=can_manage,
        can_verify=scope.can_verify(user, action),
        can_view_history=scope.can_view_history(user, action, known_visible=True),
        can_change_evidence=can_edit and not workflow.change_refusal("add_evidence", action),
        can_withdraw_evidence=can_edit and not workflow.change_refusal("withdraw_evidence", action),
        # Cancel and reopen are the plan's managers' moves (workflow.MOVES): asked once, above.
        can_cancel=can_manage and action.status in workflow.MOVES["cancel"].sources,
        can_reopen=can_manage and action.status in workflow.MOVES["reopen"].sources,
        who_can_verify=workflow.who_can_verify(action) if action.status == "completed" else "",
    )
