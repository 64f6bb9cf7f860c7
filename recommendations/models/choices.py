"""Vocabularies shared across the domain: ratings, roles, statuses, RAG."""

from django.db import models


class Rating(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class UnitKind(models.TextChoices):
    NATIONAL = "national", "National (HMPPS)"
    REGION = "region", "Region"
    PDU = "pdu", "Probation Delivery Unit"
    CRC = "crc", "Community Rehabilitation Company (legacy)"
    NPS_DIVISION = "nps_division", "National Probation Service division (legacy)"
    NOMS = "noms", "National Offender Management Service (legacy)"


class Role(models.TextChoices):
    PDU_LEADER = "pdu_leader", "PDU leader"
    REGIONAL_DIRECTOR = "regional_director", "Regional director"
    NATIONAL_VIEWER = "national_viewer", "National (HMPPS) viewer"
    ADMINISTRATOR = "administrator", "Administrator"


class InspectionKind(models.TextChoices):
    PDU = "pdu", "PDU inspection"
    REGIONAL_REVIEW = "regional_review", "Regional review"
    QUALITY_IMPACT = "quality_impact", "Quality & Impact inspection"


class Response(models.TextChoices):
    AWAITING = "", "Awaiting response"
    AGREED = "agreed", "Agreed"
    PARTLY_AGREED = "partly_agreed", "Partly agreed"
    NOT_AGREED = "not_agreed", "Not agreed"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    COMPLETED = "completed", "Completed – awaiting verification"
    VERIFIED = "verified", "Verified"
    CANCELLED = "cancelled", "Cancelled"


# Statuses in which an action still needs work from its owner.
OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED)
# Statuses that count as closed for dates and reminders.
CLOSED_STATUSES = (ActionStatus.COMPLETED, ActionStatus.VERIFIED, ActionStatus.CANCELLED)


# The plan's status vocabulary: an action's status, or "no action yet" for a recommendation
# that has none (the plan, its filters and its downloads all speak it).
NO_ACTION = "no_action"
NO_ACTION_LABEL = "No action yet"
PLAN_STATUS_CHOICES = [*ActionStatus.choices, (NO_ACTION, NO_ACTION_LABEL)]


class RAG(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


# Lower is worse: used to tell when a self-assessment is greener than the evidence.
RAG_SEVERITY_ORDER = {RAG.RED: 0, RAG.AMBER: 1, RAG.GREEN: 2}


class EvidenceKind(models.TextChoices):
    FILE = "file", "Uploaded file"
    LINK = "link", "Link"
