"""One generated action with its progress log, evidence and due-date revisions.

The history of each action is made to hang together the way the services would have
left it: the last update's status is the action's status, a completed action has a
closing update and current evidence, a verified one was verified by the regional
director (never its owner), and `last_update_at` is the time of the latest update.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from recommendations.models import Action, ActionStatus, DueDateRevision, Evidence, EvidenceKind, ProgressUpdate

from . import vocabulary as words

# Status mix for actions whose due date has passed, and for those still to come.
PAST_DUE_MIX = {
    ActionStatus.VERIFIED: 55,
    ActionStatus.COMPLETED: 15,
    ActionStatus.CANCELLED: 5,
    ActionStatus.IN_PROGRESS: 15,
    ActionStatus.BLOCKED: 4,
    ActionStatus.NOT_STARTED: 6,
}
FUTURE_DUE_MIX = {
    ActionStatus.IN_PROGRESS: 50,
    ActionStatus.NOT_STARTED: 20,
    ActionStatus.BLOCKED: 6,
    ActionStatus.COMPLETED: 12,
    ActionStatus.VERIFIED: 8,
    ActionStatus.CANCELLED: 4,
}
# Owners rate themselves greener than the dates would: the service shows both.
SELF_RAG_MIX = {"green": 6, "amber": 3, "red": 1}


@dataclass
class ActionPlan:
    action: Action
    updates: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    revisions: list = field(default_factory=list)


class ActionPlanner:
    def __init__(self, generator):
        self.g = generator
        self.rng = generator.rng
        self.today = generator.spec.today
        self.now = generator.now

    def _pick(self, mix):
        return self.rng.choices(list(mix), weights=list(mix.values()))[0]

    def _times_between(self, start: datetime, end: datetime, how_many: int) -> list[datetime]:
        seconds = max(1, int((end - start).total_seconds()))
        return sorted(start + timedelta(seconds=self.rng.randrange(seconds)) for _ in range(how_many))

    def _status(self, due_date: date, updates: int) -> str:
        status = self._pick(PAST_DUE_MIX if due_date < self.today else FUTURE_DUE_MIX)
        if updates == 0:
            return ActionStatus.NOT_STARTED
        if status == ActionStatus.VERIFIED and updates < 2:
            return ActionStatus.COMPLETED
        if status == ActionStatus.NOT_STARTED and updates >= 2:
            return ActionStatus.IN_PROGRESS
        return status

    def plan(self, context, updates: int) -> ActionPlan:
        rng = self.rng
        owner = rng.choice(context.owners)
        created_day = min(context.published_on + timedelta(days=rng.randint(10, 60)), self.today - timedelta(days=1))
        created_at = self.g.moment(created_day)
        start_date = created_day + timedelta(days=rng.randint(0, 30))
        original_due = start_date + timedelta(days=rng.randint(60, 540))
        action = Action(
            recommendation=context.recommendation,
            description=f"{rng.choice(words.ACTION_VERBS)} {rng.choice(words.ACTION_OBJECTS)}",
            owner=owner,
            unit=context.recommendation.addressed_to,
            success_measure=rng.choice(words.SUCCESS_MEASURES).format(
                pct=rng.randint(60, 90), small=rng.randint(5, 12)
            ),
            start_date=start_date,
            original_due_date=original_due,
            due_date=original_due,
            created_by=context.creator,
            created_at=created_at,
        )
        plan = ActionPlan(action)
        self._revisions(plan, created_at, context)
        action.status = self._status(action.due_date, updates)
        self._updates(plan, context, owner, created_at, updates)
        self._evidence(plan, owner, created_at)
        action.version = 1 + len(plan.updates) + len(plan.revisions)
        action.updated_at = max(
            [created_at, action.last_update_at or created_at] + [r.revised_at for r in plan.revisions]
        )
        return plan

    def _revisions(self, plan, created_at, context):
        if self.rng.random() >= 0.15:
            return
        action = plan.action
        times = self._times_between(
            created_at + timedelta(hours=1), self.now - timedelta(hours=1), 1 + (self.rng.random() < 0.2)
        )
        for revised_at in times:
            new_due = action.due_date + timedelta(days=self.rng.randint(30, 180))
            plan.revisions.append(
                DueDateRevision(
                    action=action,
                    previous_due_date=action.due_date,
                    new_due_date=new_due,
                    reason=self.rng.choice(words.DUE_DATE_REASONS),
                    revised_by=context.creator,
                    revised_at=revised_at,
                )
            )
            action.due_date = new_due

    def _updates(self, plan, context, owner, created_at, how_many):
        rng, action = self.rng, plan.action
        if how_many == 0:
            return
        times = self._times_between(created_at + timedelta(hours=1), self.now - timedelta(hours=1), how_many)
        status = action.status
        entries = [(owner, rng.choice(words.UPDATE_NARRATIVES), ActionStatus.IN_PROGRESS, False) for _ in times]
        if status == ActionStatus.NOT_STARTED:
            entries = [(owner, "Planning the work; no change to report yet.", status, False) for _ in times]
        elif status == ActionStatus.BLOCKED:
            entries[-1] = (owner, rng.choice(words.BLOCKED_NARRATIVES), status, False)
        elif status == ActionStatus.COMPLETED:
            entries[-1] = (owner, rng.choice(words.CLOSING_NARRATIVES), status, True)
        elif status == ActionStatus.VERIFIED:
            entries[-2] = (owner, rng.choice(words.CLOSING_NARRATIVES), ActionStatus.COMPLETED, True)
            entries[-1] = (context.verifier, "Verified: the evidence shows this action is complete.", status, False)
        elif status == ActionStatus.CANCELLED:
            entries[-1] = (context.creator, f"Cancelled: {rng.choice(words.CANCEL_REASONS)}", status, False)
        elif status == ActionStatus.IN_PROGRESS and how_many >= 4 and rng.random() < 0.08:
            # Completed once, then returned by the director for more evidence.
            reason = rng.choice(words.RETURN_REASONS)
            entries[-3] = (owner, rng.choice(words.CLOSING_NARRATIVES), ActionStatus.COMPLETED, True)
            entries[-2] = (context.verifier, f"Returned for more evidence: {reason}", status, False)
            action.returned_at, action.returned_by, action.return_reason = times[-2], context.verifier, reason
        self_rag = ""
        for at, (author, narrative, entry_status, closing) in zip(times, entries, strict=True):
            rag = "" if entry_status == ActionStatus.CANCELLED else (self_rag if closing else self._pick(SELF_RAG_MIX))
            self_rag = rag or self_rag
            plan.updates.append(
                ProgressUpdate(
                    action=action,
                    author=author,
                    created_at=at,
                    narrative=narrative,
                    status=entry_status,
                    rag=rag,
                    is_closing=closing,
                )
            )
            if closing and entry_status == ActionStatus.COMPLETED:
                action.completed_at, action.completed_by = at, author
        if status == ActionStatus.VERIFIED:
            action.verified_at, action.verified_by = times[-1], context.verifier
        elif status != ActionStatus.COMPLETED:
            action.completed_at = action.completed_by = None
        action.self_rag = self_rag
        action.last_update_at = times[-1]

    def _evidence(self, plan, owner, created_at):
        rng, action = self.rng, plan.action
        if action.status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
            how_many = 1 + (rng.random() < 0.45) + (rng.random() < 0.12)
            # Evidence comes before the closing update: completion needs it.
            until = action.completed_at
        else:
            how_many = rng.choices([0, 1, 2], weights=[50, 35, 15])[0]
            if action.status == ActionStatus.CANCELLED:
                how_many = min(how_many, 1)
            until = self.now - timedelta(hours=1)
        start = created_at + timedelta(minutes=30)
        if until <= start:
            until = start + timedelta(minutes=1)
        for index, added_at in enumerate(self._times_between(start, until, how_many)):
            title = rng.choice(words.EVIDENCE_TITLES)
            evidence = Evidence(
                action=action,
                title=title,
                added_by=owner,
                added_at=added_at,
                relates_to=added_at.date(),
            )
            if rng.random() < 0.3:
                suffix, content_type = rng.choice(words.EVIDENCE_FILE_TYPES)
                evidence.kind = EvidenceKind.FILE
                # A file record only: the generator writes no files to storage.
                evidence.file.name = f"evidence/{rng.getrandbits(128):032x}{suffix}"
                evidence.original_filename = f"{title}{suffix}"
                evidence.size = rng.randint(20_000, 4_000_000)
                evidence.content_type = content_type
                evidence.sha256 = f"{rng.getrandbits(256):064x}"
            else:
                evidence.kind = EvidenceKind.LINK
                evidence.url = f"https://intranet.justice.example/{action.unit.slug}/evidence/{rng.randrange(10**7)}"
            if index > 0 and rng.random() < 0.04:
                evidence.withdrawn_at = min(
                    added_at + timedelta(days=rng.randint(1, 30)), self.now - timedelta(hours=1)
                )
                evidence.withdrawn_by = owner
                evidence.withdrawal_reason = "Replaced by a later version of the document."
            plan.evidence.append(evidence)
