"""What goes in a unit's evidence pack for the next inspection, and where each file sits in the ZIP.

Files are filed by inspection, then recommendation number, then action:
``2025-derbyshire-pdu/recommendation-03/action-12/audit-report.pdf``. Withdrawn evidence
is listed in the index, clearly marked, and its file is left out.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

from django.db.models import Prefetch, Q
from django.utils.text import get_valid_filename, slugify

from recommendations.models import Action, Evidence, Inspection, OrgUnit, Recommendation
from recommendations.models.inspections import addressed_to_any

from .plan_document import units_covered


@dataclass
class PackEvidence:
    evidence: Evidence
    zip_path: str = ""  # empty for links and withdrawn evidence


@dataclass
class PackAction:
    action: Action
    folder: str
    evidence: list[PackEvidence] = field(default_factory=list)


@dataclass
class PackRecommendation:
    recommendation: Recommendation
    folder: str
    actions: list[PackAction] = field(default_factory=list)


@dataclass
class PackInspection:
    inspection: Inspection
    folder: str
    recommendations: list[PackRecommendation] = field(default_factory=list)


@dataclass
class EvidencePack:
    unit: OrgUnit
    as_at: date
    inspections: list[PackInspection]

    @property
    def files(self) -> list[PackEvidence]:
        return [
            item
            for inspection in self.inspections
            for rec in inspection.recommendations
            for action in rec.actions
            for item in action.evidence
            if item.zip_path
        ]

    @property
    def filename(self):
        return f"evidence-pack-{self.unit.slug}-{self.as_at:%Y-%m-%d}.zip"


def _inspection_folder(inspection: Inspection) -> str:
    year = inspection.published_on.year if inspection.published_on else "undated"
    return f"{year}-{slugify(inspection.unit.display_name)}-{inspection.pk}"


MAX_FILE_NAME = 120


def safe_file_name(name: str, *, fallback: str, taken: set[str], extension: str = "") -> str:
    """A file name safe on every system, unique within its folder.

    `extension` is the stored file's checked extension: the name always ends with it,
    however long the uploader's name was (the stem is shortened, never the suffix, so
    "….html.txt" cannot become "….html").
    """
    name = PurePosixPath(name.replace("\\", "/")).name  # no folders from the uploader
    suffix = (extension or PurePosixPath(name).suffix).lower()
    stem = name[: -len(suffix)] if suffix and name.lower().endswith(suffix) else name
    try:
        cleaned = get_valid_filename(stem)
    except Exception:  # noqa: BLE001 - get_valid_filename refuses names that clean to nothing
        cleaned = ""
    stem = cleaned.lstrip(".")[: MAX_FILE_NAME - len(suffix)] or fallback
    candidate, number = stem + suffix, 2
    while candidate.lower() in taken:
        candidate = f"{stem}-{number}{suffix}"
        number += 1
    taken.add(candidate.lower())
    return candidate


def build_evidence_pack(*, unit: OrgUnit, recommendations, actions, today: date) -> EvidencePack:
    """Arrange a unit's recommendations, actions and evidence for the ZIP (a fixed number of queries)."""
    units = units_covered(unit)
    recommendations = recommendations.filter(addressed_to_any(units) | Q(inspection__unit__in=units))
    evidence_qs = Evidence.objects.select_related("added_by", "withdrawn_by").order_by("added_at", "id")
    action_list = list(
        actions.filter(recommendation__in=recommendations)
        .select_related("owner", "unit", "completed_by", "verified_by")
        .prefetch_related(Prefetch("evidence", queryset=evidence_qs))
        .order_by("recommendation_id", "due_date", "id")
    )
    by_recommendation: dict[int, list[Action]] = {}
    for action in action_list:
        by_recommendation.setdefault(action.recommendation_id, []).append(action)

    inspections: dict[int, PackInspection] = {}
    rec_list = (
        Recommendation.objects.filter(pk__in=recommendations.values("pk"))
        .select_related("inspection__unit", "addressed_to")
        .prefetch_related("addressees")
        .order_by("-inspection__published_on", "inspection_id", "number")
    )
    for recommendation in rec_list:
        inspection = recommendation.inspection
        pack_inspection = inspections.setdefault(
            inspection.pk, PackInspection(inspection, _inspection_folder(inspection))
        )
        rec_folder = f"{pack_inspection.folder}/recommendation-{recommendation.number:02d}"
        pack_rec = PackRecommendation(recommendation, rec_folder)
        for action in by_recommendation.get(recommendation.pk, []):
            pack_action = PackAction(action, f"{rec_folder}/action-{action.pk}")
            taken: set[str] = set()
            for evidence in action.evidence.all():
                item = PackEvidence(evidence)
                if evidence.file and not evidence.is_withdrawn:
                    name = safe_file_name(
                        evidence.original_filename or PurePosixPath(evidence.file.name).name,
                        fallback=f"evidence-{evidence.pk}",
                        taken=taken,
                        extension=PurePosixPath(evidence.file.name).suffix,
                    )
                    item.zip_path = f"{pack_action.folder}/{name}"
                pack_action.evidence.append(item)
            pack_rec.actions.append(pack_action)
        pack_inspection.recommendations.append(pack_rec)
    return EvidencePack(unit=unit, as_at=today, inspections=list(inspections.values()))
