"""How an action moves: its life cycle stated once, as a table.

Each move names the statuses it leaves from, the status it leads to, who may make it and
what it needs. What may change about an action without moving it (its details, due date
and evidence) is stated below the moves, status by status. The services
(recommendations.services) check every change against this module before writing, so
pages, the admin, the import, commands and tasks all obey the same rules, with the same
plain-English refusals.

    not started ─┬─> in progress <─> blocked      (progress updates, among the open statuses)
                 └──────────┴───────────┴─> completed ─> verified (here against evidence, or imported)
                                                 └─> in progress (returned for more evidence)
    any status but verified ─> cancelled (with a reason)
    verified or cancelled ─> in progress (reopened, with a reason)

A draft action, in a response plan awaiting sign-off (Action.objects.drafts), makes no move:
it is changed on the plan's page and moves once the plan is approved.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from . import scope
from .models import OPEN_STATUSES, Action, ActionStatus

# Verified and cancelled actions are closed: nothing about them changes until they are reopened.
FINAL_STATUSES = (ActionStatus.VERIFIED, ActionStatus.CANCELLED)


def _manages_plan(user, action) -> bool:
    return scope.can_manage_plan(user, action.recommendation)


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: tuple[str, ...]
    # None: the user chooses among the open statuses (a progress update).
    target: str | None
    who: str
    requires: str
    permitted: Callable[..., bool]


MOVES = {
    move.name: move
    for move in (
        Move(
            "progress",
            "Log progress",
            OPEN_STATUSES,
            None,
            "the action's editors: its unit's PDU leader, the region's director (the national team for HMPPS actions)",
            "an update saying what has been done",
            scope.can_edit_action,
        ),
        Move(
            "complete",
            "Mark complete",
            OPEN_STATUSES,
            ActionStatus.COMPLETED,
            "the action's editors",
            "at least one current piece of evidence and a closing update",
            scope.can_edit_action,
        ),
        Move(
            "record_imported_completion",
            "Record a completion imported from another tracker",
            OPEN_STATUSES,
            ActionStatus.COMPLETED,
            "administrators, importing a tracker",
            "the tracker and row it came from, shown in the timeline; it is then verified here, against evidence, "
            "like any other",
            lambda user, action: user.is_authenticated and user.is_administrator,
        ),
        Move(
            "record_imported_verification",
            "Record a verification imported from another tracker",
            (ActionStatus.COMPLETED,),
            ActionStatus.VERIFIED,
            "administrators, importing a tracker",
            "who verified it there (a person in the service, not its owner) and when; no evidence, which stays "
            "in that tracker; shown as verified before this service, with the tracker and row",
            lambda user, action: user.is_authenticated and user.is_administrator,
        ),
        Move(
            "verify",
            "Verify",
            (ActionStatus.COMPLETED,),
            ActionStatus.VERIFIED,
            "a regional director of the action's region, or the national team; never whoever completed it, "
            "nor its owner",
            "at least one current (not withdrawn) piece of evidence",
            scope.can_verify,
        ),
        Move(
            "return",
            "Return for more evidence",
            (ActionStatus.COMPLETED,),
            ActionStatus.IN_PROGRESS,
            "whoever may verify it",
            "what more is needed",
            scope.can_verify,
        ),
        Move(
            "cancel",
            "Cancel",
            (*OPEN_STATUSES, ActionStatus.COMPLETED),
            ActionStatus.CANCELLED,
            "whoever manages the plan: the region's director (the national team for HMPPS recommendations)",
            "a reason, shown in the timeline",
            _manages_plan,
        ),
        Move(
            "reopen",
            "Reopen",
            FINAL_STATUSES,
            ActionStatus.IN_PROGRESS,
            "whoever manages the plan",
            "a reason, shown in the timeline",
            _manages_plan,
        ),
    )
}

# What may change without moving the action, and in which statuses.
CHANGES = {
    "edit_details": (*OPEN_STATUSES, ActionStatus.COMPLETED),
    "revise_due_date": (*OPEN_STATUSES, ActionStatus.COMPLETED),
    "add_evidence": (*OPEN_STATUSES, ActionStatus.COMPLETED),
    # What the verification looks at (or rested on) stays as it is: return or reopen first.
    "withdraw_evidence": OPEN_STATUSES,
}


def _closed_because(action: Action) -> str:
    if action.status == ActionStatus.VERIFIED:
        return (
            "This action has been verified, so it is closed. "
            "Nothing about it can change unless it is reopened, with a reason."
        )
    return (
        "This action was cancelled, so it is closed. Nothing about it can change unless it is reopened, with a reason."
    )


_CHANGE_REFUSED_WHEN_COMPLETED = {
    "withdraw_evidence": (
        "This action is complete and awaiting verification, so its evidence stays as it is. "
        "Ask for it to be returned for more evidence first."
    ),
}


def change_refusal(change: str, action: Action) -> str:
    """Why `change` cannot be made to the action in its status; "" when it can."""
    if action.status in CHANGES[change]:
        return ""
    if action.status in FINAL_STATUSES:
        return _closed_because(action)
    return _CHANGE_REFUSED_WHEN_COMPLETED[change]


def require_change(change: str, *, action: Action) -> None:
    if refusal := change_refusal(change, action):
        raise ValidationError(refusal, code="status")


_MOVE_REFUSED_FROM = {
    "progress": "This action is no longer open, so progress cannot be logged. It can be returned or reopened first.",
    "complete": "Only an action that is not started, in progress or blocked can be marked complete.",
    "verify": "Only a completed action can be verified.",
    "record_imported_completion": "Only an action that is not started, in progress or blocked can be recorded as "
    "completed.",
    "record_imported_verification": "Only a completed action can be recorded as verified.",
    "return": "Only a completed action can be returned.",
    "reopen": "Only a verified or cancelled action can be reopened.",
}


def _draft_because(action: Action) -> str:
    plan = action.draft_plan
    return (
        f"This action is a draft in {plan.unit.display_name}'s response plan, which is "
        f"{plan.get_state_display().lower()}. Progress, completion and verification start once the plan is "
        "approved; until then the action is changed on the response plan's page."
    )


def move_refusal(name: str, *, action: Action, by) -> str:
    """Why `by` cannot make the move now; "" when they can."""
    move = MOVES[name]
    if action.draft_plan is not None:
        return _draft_because(action)
    if action.status not in move.sources:
        if action.status in FINAL_STATUSES:
            return _closed_because(action)
        return _MOVE_REFUSED_FROM[name]
    if name == "verify" and by is not None:
        if action.completed_by_id == by.pk:
            return f"You marked this action complete, so someone else must verify it. {who_can_verify(action)}"
        if action.owner_id == by.pk:
            return f"An action must be verified by someone other than its owner. {who_can_verify(action)}"
    if by is None or not move.permitted(by, action):
        return f"You cannot {move.label.lower()} this action: only {move.who} can."
    return ""


def require_move(name: str, *, action: Action, by) -> None:
    if refusal := move_refusal(name, action=action, by=by):
        raise ValidationError(refusal, code="status")


def may_change(change: str, *, action: Action, user) -> bool:
    """May the user make `change` to the action now: one of its editors, in a status that allows it."""
    return not change_refusal(change, action) and scope.can_edit_action(user, action)


def available_moves(*, action: Action, user) -> list[Move]:
    """The moves the user may make now, in the table's order (for the action's buttons)."""
    return [move for name, move in MOVES.items() if not move_refusal(name, action=action, by=user)]


def who_can_verify(action: Action) -> str:
    """Who may verify the action, named, so that a page never leaves its reader at a dead end."""
    people = list(scope.verifiers_of(action).order_by("last_name", "first_name", "username")[:4])
    if not people:
        return "Ask the national (HMPPS) team to give someone the right to verify it."
    names = [str(person) for person in people]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"It can be verified by {listed}."


def table() -> list[dict]:
    """The transition table in words, as the README and the admin show it."""
    return [
        {
            "move": move.label,
            "from": ", ".join(ActionStatus(status).label for status in move.sources),
            "to": ActionStatus(move.target).label if move.target else "Not started, in progress or blocked",
            "who": move.who,
            "requires": move.requires,
        }
        for move in MOVES.values()
    ]
