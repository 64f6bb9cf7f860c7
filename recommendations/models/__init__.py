from .actions import Action, DueDateRevision, Evidence, ProgressUpdate
from .choices import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    RAG,
    RAG_SEVERITY_ORDER,
    ActionStatus,
    EvidenceKind,
    InspectionKind,
    Rating,
    Response,
    Role,
    UnitKind,
)
from .comments import Comment, CommentKind
from .figures import FiguresVersion
from .inspections import Inspection, KeyQuestionResult, Recommendation, StandardRating, Theme
from .plans import EDITABLE_PLAN_STATES, PlanEvent, PlanState, ResponsePlan
from .preferences import PlanColumnChoice
from .proposals import DueDateProposal, ProposalState
from .units import OrgUnit, User

__all__ = [
    "Action",
    "ActionStatus",
    "CLOSED_STATUSES",
    "Comment",
    "CommentKind",
    "EDITABLE_PLAN_STATES",
    "DueDateProposal",
    "DueDateRevision",
    "Evidence",
    "EvidenceKind",
    "FiguresVersion",
    "Inspection",
    "InspectionKind",
    "KeyQuestionResult",
    "OPEN_STATUSES",
    "OrgUnit",
    "PlanEvent",
    "PlanState",
    "ProgressUpdate",
    "ProposalState",
    "RAG",
    "RAG_SEVERITY_ORDER",
    "Rating",
    "Recommendation",
    "PlanColumnChoice",
    "Response",
    "ResponsePlan",
    "Role",
    "StandardRating",
    "Theme",
    "UnitKind",
    "User",
]
