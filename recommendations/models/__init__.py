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
from .inspections import Inspection, KeyQuestionResult, Recommendation, StandardRating, Theme
from .units import OrgUnit, User

__all__ = [
    "Action",
    "ActionStatus",
    "CLOSED_STATUSES",
    "DueDateRevision",
    "Evidence",
    "EvidenceKind",
    "Inspection",
    "InspectionKind",
    "KeyQuestionResult",
    "OPEN_STATUSES",
    "OrgUnit",
    "ProgressUpdate",
    "RAG",
    "RAG_SEVERITY_ORDER",
    "Rating",
    "Recommendation",
    "Response",
    "Role",
    "StandardRating",
    "Theme",
    "UnitKind",
    "User",
]
