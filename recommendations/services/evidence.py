"""Evidence: added as files or links, withdrawn with a reason, never deleted."""

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import workflow
from ..models import Action, Evidence, EvidenceKind
from .versions import lock_action, save_action


def file_digest(uploaded) -> str:
    sha = hashlib.sha256()
    for chunk in uploaded.chunks():
        sha.update(chunk)
    uploaded.seek(0)
    return sha.hexdigest()


@transaction.atomic
def add_evidence(
    *,
    action: Action,
    added_by,
    title: str,
    description: str = "",
    relates_to: date | None = None,
    uploaded_file=None,
    url: str = "",
    content_type: str = "",
) -> Evidence:
    """Record a file or a link as evidence. Files must already be validated by the caller's form.

    Adding is not an edit (nothing is overwritten), so it carries no version.
    """
    workflow.require_change("add_evidence", action=Action.objects.get(pk=action.pk))
    if bool(uploaded_file) == bool(url):
        raise ValidationError("Upload a file or give a link, not both.")
    evidence = Evidence(
        action=action,
        title=title.strip(),
        description=description.strip(),
        relates_to=relates_to,
        added_by=added_by,
        added_at=timezone.now(),
    )
    if uploaded_file:
        evidence.kind = EvidenceKind.FILE
        evidence.original_filename = uploaded_file.name[:255]
        evidence.size = uploaded_file.size
        evidence.content_type = content_type or getattr(uploaded_file, "content_type", "") or ""
        evidence.sha256 = file_digest(uploaded_file)
        evidence.file.save(uploaded_file.name, uploaded_file, save=False)
    else:
        evidence.kind = EvidenceKind.LINK
        evidence.url = url
    evidence._history_user = added_by
    evidence.save()
    return evidence


@transaction.atomic
def withdraw_evidence(*, evidence: Evidence, by, reason: str, expected_version: int) -> Evidence:
    """Withdraw evidence without deleting it: the record and file stay, marked withdrawn.

    Withdrawing changes what the action rests on, so it is checked against the action's
    version and raises it.
    """
    reason = reason.strip()
    action = lock_action(action=evidence.action, expected_version=expected_version)
    workflow.require_change("withdraw_evidence", action=action)
    if not reason:
        raise ValidationError({"reason": "Enter why this evidence is being withdrawn."})
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.is_withdrawn:
        raise ValidationError("This evidence has already been withdrawn.")
    save_action(action, by=by)
    evidence.withdrawn_at = timezone.now()
    evidence.withdrawn_by = by
    evidence.withdrawal_reason = reason
    evidence._history_user = by
    evidence.save()
    return evidence
