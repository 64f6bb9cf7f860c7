"""Every change to the action plan goes through these functions.

Each one checks the business rule it owns, stamps who and when, and (for actions)
enforces optimistic concurrency: the caller passes the version it read, and a save
against a newer version is refused rather than silently overwriting someone's work.
Whether an action may move, and what may change about it in each status, is stated in
recommendations.workflow and checked here, so that pages, the admin, the import,
commands and tasks obey the same rules. Who may open a page is recommendations.scope's,
asked by the views; who may make a move is asked again here.

- `details`: creating an action, editing what it is and who owns it, revising its due date;
- `progress`: appending to an action's progress log;
- `evidence`: adding and withdrawing evidence;
- `moves`: completing, verifying, returning, cancelling and reopening an action;
- `imported`: completions and verifications recorded in a region's tracker before this service;
- `published`: recommendations recorded as published, with their addressees;
- `responses`: the addressee's answer to a recommendation;
- `versions`: the row lock and version check they share.
"""

from .details import create_action, revise_due_date, update_action_details
from .evidence import add_evidence, withdraw_evidence
from .imported import record_imported_completion, record_imported_verification
from .moves import cancel_action, mark_complete, reopen_action, return_action, verify_action
from .progress import log_progress
from .published import include_first_addressee, record_recommendation
from .responses import set_response
from .versions import StaleEditError

__all__ = [
    "StaleEditError",
    "add_evidence",
    "cancel_action",
    "create_action",
    "include_first_addressee",
    "log_progress",
    "mark_complete",
    "record_imported_completion",
    "record_imported_verification",
    "record_recommendation",
    "reopen_action",
    "return_action",
    "revise_due_date",
    "set_response",
    "update_action_details",
    "verify_action",
    "withdraw_evidence",
]
