"""Synthetic national-scale data: units, people, inspections, plans and their history.

Used to measure the service at the size of the whole Probation Service (twelve
regions, about a hundred PDUs, tens of thousands of actions). The same seed and the
same `today` give the same rows, so figures from two runs compare like with like.
Rows go in with bulk_create in batches; history tables are not filled.
"""

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction

from recommendations.models import (
    Action,
    DueDateRevision,
    Evidence,
    Inspection,
    InspectionKind,
    KeyQuestionResult,
    OrgUnit,
    PlanState,
    ProgressUpdate,
    Rating,
    Recommendation,
    Response,
    ResponsePlan,
    Role,
    StandardRating,
    Theme,
    UnitKind,
    User,
)

from . import vocabulary as words
from .plans import ActionPlanner
from .reminder_history import ReminderHistory


@dataclass(frozen=True)
class ScaleSpec:
    regions: int = 12
    pdus_per_region: int = 9
    actions: int = 50_000
    updates_per_action: int = 5
    staff_per_pdu: int = 4
    inspections_per_pdu: int = 3
    recommendations_per_inspection: int = 8
    seed: int = 1
    today: date = field(default_factory=date.today)
    password: str = "scale-data-only-2026"
    # Sent reminders for the past year, when the reminders app is installed.
    reminder_history: bool = True
    batch_size: int = 2000


@dataclass
class _RecommendationContext:
    """What the action planner needs to know about one recommendation."""

    recommendation: Recommendation
    published_on: date
    owners: list  # users who may own its actions
    creator: User  # who set the plan up
    verifier: User  # the regional director who verifies completion


@contextmanager
def _keep_given_timestamps(model):
    # bulk_create stamps auto_now/auto_now_add fields with the wall clock. Generated rows
    # carry their own past times instead, so the same seed gives the same rows.
    fields = [
        f for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.replace(",", "").split() if word not in {"and", "the", "of"}).upper()


class ScaleDataGenerator:
    def __init__(self, spec: ScaleSpec, *, log=None):
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.now = datetime.combine(spec.today, time(12, 0), tzinfo=UTC)
        self.log = log or (lambda message: None)
        self.counts: dict[str, int] = {}
        self.reminders = (
            ReminderHistory(today=spec.today) if spec.reminder_history and apps.is_installed("reminders") else None
        )

    def moment(self, day: date) -> datetime:
        """A time during the working day on `day`, never later than now."""
        at = datetime.combine(day, time(8, 0), tzinfo=UTC) + timedelta(minutes=self.rng.randrange(600))
        return min(at, self.now - timedelta(hours=1))

    def _save(self, model, objects, name=None):
        with _keep_given_timestamps(model):
            model.objects.bulk_create(objects, batch_size=self.spec.batch_size)
        key = name or model._meta.verbose_name_plural
        self.counts[key] = self.counts.get(key, 0) + len(objects)
        return objects

    def _save_or_reuse(self, model, objects, key: str, name=None):
        """Save `objects`, except those whose `key` (a unique field) a row already has: that
        row is used instead. Generating into a database that holds other data (the demo's
        HMPPS, East Midlands, themes, people) then adds to it rather than colliding."""
        existing = model.objects.in_bulk([getattr(obj, key) for obj in objects], field_name=key)
        new = [obj for obj in objects if getattr(obj, key) not in existing]
        self._save(model, new, name)
        return [existing.get(getattr(obj, key), obj) for obj in objects]

    @transaction.atomic
    def run(self) -> dict[str, int]:
        self._units()
        self._people()
        self._themes()
        self._inspections()
        self._recommendations()
        self._actions()
        # After the actions, so that adding plans left every earlier row as it was.
        self._response_plans()
        return self.counts

    # --- organisation -----------------------------------------------------------------
    def _units(self):
        self.national = self._save_or_reuse(
            OrgUnit,
            [OrgUnit(name="HM Prison and Probation Service", short_name="HMPPS", slug="hmpps", kind=UnitKind.NATIONAL)],
            "slug",
            "units",
        )[0]
        regions = []
        for i in range(self.spec.regions):
            name, short, slug = (
                words.REGIONS[i]
                if i < len(words.REGIONS)
                else (f"Probation Service – Region {i + 1}", f"Region {i + 1}", f"region-{i + 1}")
            )
            regions.append(OrgUnit(name=name, short_name=short, slug=slug, kind=UnitKind.REGION, parent=self.national))
        self.regions = self._save_or_reuse(OrgUnit, regions, "slug", "units")
        pdus = []
        for region in self.regions:
            for j in range(1, self.spec.pdus_per_region + 1):
                pdus.append(
                    OrgUnit(
                        name=f"{region.short_name} PDU {j}",
                        short_name=f"{_initials(region.short_name)} PDU {j}",
                        slug=f"{region.slug}-pdu-{j}",
                        kind=UnitKind.PDU,
                        parent=region,
                    )
                )
        self.pdus = self._save_or_reuse(OrgUnit, pdus, "slug", "units")

    def _user(self, username, unit, role, job_title, **extra):
        return User(
            username=username,
            first_name=self.rng.choice(words.FIRST_NAMES),
            last_name=self.rng.choice(words.LAST_NAMES),
            email=f"{username}@justice.example",
            password=self.password_hash,
            unit=unit,
            role=role,
            job_title=job_title,
            date_joined=self.now - timedelta(days=1200),
            **extra,
        )

    def _people(self):
        # One hash for everyone: hashing is deliberately slow, and the salt is fixed so
        # that the rows are the same on every run.
        self.password_hash = make_password(self.spec.password, salt=f"scaledata{self.spec.seed}")
        users = []
        self.staff = {}
        roles = [("lead", "Head of PDU"), ("deputy", "Deputy Head of PDU")] + [
            (f"spo{n}", "Senior Probation Officer") for n in range(1, self.spec.staff_per_pdu - 1)
        ]
        roles = roles[: max(1, self.spec.staff_per_pdu)]
        for pdu in self.pdus:
            team = [self._user(f"{pdu.slug}.{name}", pdu, Role.PDU_LEADER, title) for name, title in roles]
            self.staff[pdu.pk] = team
            users += team
        self.directors, self.deputies = {}, {}
        for region in self.regions:
            self.directors[region.pk] = self._user(
                f"{region.slug}.director", region, Role.REGIONAL_DIRECTOR, "Regional Probation Director"
            )
            self.deputies[region.pk] = self._user(
                f"{region.slug}.deputy", region, Role.REGIONAL_DIRECTOR, "Deputy Regional Probation Director"
            )
            users += [self.directors[region.pk], self.deputies[region.pk]]
        self.national_viewer = self._user("hmpps.viewer", self.national, Role.NATIONAL_VIEWER, "Performance analyst")
        self.national_owner = self._user(
            "hmpps.actions",
            self.national,
            Role.NATIONAL_VIEWER,
            "Head of probation operational policy",
            can_edit_national_actions=True,
        )
        admin = self._user(
            "scale.admin", self.national, Role.ADMINISTRATOR, "Service administrator", is_staff=True, is_superuser=True
        )
        users += [self.national_viewer, self.national_owner, admin]
        users = self._save_or_reuse(User, users, "username", "users")
        by_username = {user.username: user for user in users}
        self.staff = {pdu: [by_username[user.username] for user in team] for pdu, team in self.staff.items()}
        self.directors = {region: by_username[user.username] for region, user in self.directors.items()}
        self.deputies = {region: by_username[user.username] for region, user in self.deputies.items()}
        self.national_viewer = by_username[self.national_viewer.username]
        self.national_owner = by_username[self.national_owner.username]

    def _themes(self):
        self.themes = self._save_or_reuse(
            Theme,
            [Theme(slug=slug, name=name, description=text) for slug, name, text in words.THEMES],
            "slug",
            "themes",
        )

    # --- what the Inspectorate published -------------------------------------------------
    def _inspections(self):
        rng, today = self.rng, self.spec.today
        per_pdu = max(1, self.spec.inspections_per_pdu)
        # Publication dates spread over the last three years, in order for each PDU.
        span = 1065 // per_pdu
        inspections, ratings_by_inspection = [], []
        for pdu in self.pdus:
            for k in range(per_pdu):
                published = today - timedelta(days=1095 - k * span - rng.randrange(span))
                start = published - timedelta(days=rng.randint(75, 110))
                ratings = rng.choices(
                    list(words.RATING_WEIGHTS), weights=list(words.RATING_WEIGHTS.values()), k=len(words.STANDARDS)
                )
                score = sum(words.RATING_POINTS[r] for r in ratings)
                out_of = 3 * len(words.STANDARDS)
                share = score / out_of
                overall = (
                    Rating.INADEQUATE
                    if share < 0.2
                    else Rating.REQUIRES_IMPROVEMENT
                    if share < 0.5
                    else Rating.GOOD
                    if share < 0.85
                    else Rating.OUTSTANDING
                )
                inspections.append(
                    Inspection(
                        unit=pdu,
                        kind=InspectionKind.PDU,
                        title=f"An inspection of probation services in {pdu.name}",
                        fieldwork_start=start,
                        fieldwork_end=start + timedelta(days=11),
                        published_on=published,
                        lead_inspector=rng.choice(words.INSPECTORS),
                        overall_rating=overall,
                        score=score,
                        score_out_of=out_of,
                        source_document="Generated scale data",
                        summary=f"Overall rating: {Rating(overall).label}, score {score}/{out_of}.",
                        next_inspection_expected=published + timedelta(days=1095) if k == per_pdu - 1 else None,
                    )
                )
                ratings_by_inspection.append(ratings)
        self.inspections = self._save(Inspection, inspections, "inspections")
        standards, questions = [], []
        for inspection, ratings in zip(self.inspections, ratings_by_inspection, strict=True):
            by_code = {}
            for (domain, code, name), rating in zip(words.STANDARDS, ratings, strict=True):
                by_code[code] = StandardRating(
                    inspection=inspection, domain=domain, code=code, name=name, rating=rating
                )
                standards.append(by_code[code])
            for order, (code, section, question) in enumerate(words.KEY_QUESTIONS, start=1):
                questions.append(
                    KeyQuestionResult(
                        inspection=inspection,
                        standard=by_code.get(code),
                        section=section,
                        question=question,
                        percentage=Decimal(f"{rng.uniform(30, 92):.1f}"),
                        order=order,
                    )
                )
        self._save(StandardRating, standards, "standard ratings")
        self._save(KeyQuestionResult, questions, "key questions")

    def _recommendations(self):
        rng, spec = self.rng, self.spec
        per_inspection = max(1, spec.recommendations_per_inspection)
        # As in the published reports: most to the PDU, a few to the region, one to HMPPS.
        to_hmpps = 1 if per_inspection >= 3 else 0
        to_region = 2 if per_inspection >= 5 else (1 if per_inspection >= 4 else 0)
        themes_by_slug = {theme.slug: theme for theme in self.themes}
        recommendations, theme_links, self.contexts = [], [], []
        for inspection in self.inspections:
            pdu = inspection.unit
            region = pdu.parent
            director = self.directors[region.pk]
            for number in range(1, per_inspection + 1):
                if number > per_inspection - to_hmpps:
                    addressee, owners, creator = self.national, [self.national_owner], self.national_owner
                elif number > per_inspection - to_hmpps - to_region:
                    addressee, owners, creator = region, [self.deputies[region.pk]], director
                else:
                    addressee, owners, creator = pdu, self.staff[pdu.pk], self.staff[pdu.pk][0]
                theme_slug = rng.choice(list(words.RECOMMENDATION_TEXTS))
                recommendation = Recommendation(
                    inspection=inspection,
                    number=number,
                    addressed_to=addressee,
                    text=rng.choice(words.RECOMMENDATION_TEXTS[theme_slug]).format(unit=pdu.name),
                )
                recently_published = (spec.today - inspection.published_on).days < 60
                if not (recently_published and rng.random() < 0.5):
                    response = rng.choices(
                        [Response.AGREED, Response.PARTLY_AGREED, Response.NOT_AGREED], weights=[80, 15, 5]
                    )[0]
                    recommendation.response = response
                    if response != Response.AGREED:
                        recommendation.response_rationale = "Resources are committed to the regional plan instead."
                    recommendation.response_recorded_by = creator
                    recommendation.response_recorded_at = self.moment(
                        inspection.published_on + timedelta(days=rng.randint(14, 40))
                    )
                recommendations.append(recommendation)
                themes = {themes_by_slug[theme_slug]}
                if rng.random() < 0.3:
                    themes.add(rng.choice(self.themes))
                theme_links += [(recommendation, theme) for theme in sorted(themes, key=lambda t: t.slug)]
                self.contexts.append(
                    _RecommendationContext(recommendation, inspection.published_on, owners, creator, director)
                )
        self._save(Recommendation, recommendations, "recommendations")
        through = Recommendation.themes.through
        self._save(
            through,
            [through(recommendation_id=r.pk, theme_id=t.pk) for r, t in theme_links],
            "recommendation themes",
        )
        # Recommendation.save adds the body named first to the addressees; bulk_create does not.
        addressees = Recommendation.addressees.through
        self._save(
            addressees,
            [addressees(recommendation_id=r.pk, orgunit_id=r.addressed_to_id) for r in recommendations],
            "recommendation addressees",
        )

    # --- the plans ----------------------------------------------------------------------
    def _spread(self, total: int, bins: int, weights=None) -> list[int]:
        """Share `total` items among `bins`, at least one each while there are enough."""
        counts = [0] * bins
        if bins == 0 or total == 0:
            return counts
        if total < bins:
            for i in self.rng.sample(range(bins), total):
                counts[i] = 1
            return counts
        counts = [1] * bins
        for i in self.rng.choices(range(bins), weights=weights, k=total - bins):
            counts[i] += 1
        return counts

    def _actions(self):
        spec = self.spec
        weights = [self.rng.uniform(0.3, 1.7) for _ in self.contexts]
        per_recommendation = self._spread(spec.actions, len(self.contexts), weights)
        # Updates are shared out at random so that some actions have none and some many,
        # while the total is exactly actions × updates-per-action.
        updates_per_action = [0] * spec.actions
        for i in (
            self.rng.choices(range(spec.actions), k=spec.actions * spec.updates_per_action) if spec.actions else []
        ):
            updates_per_action[i] += 1
        planner = ActionPlanner(self)
        batch, done = [], 0
        for context, how_many in zip(self.contexts, per_recommendation, strict=True):
            for _ in range(how_many):
                batch.append(planner.plan(context, updates_per_action[done]))
                done += 1
            if len(batch) >= spec.batch_size:
                self._save_plans(batch)
                self.log(f"  {done:,} of {spec.actions:,} actions")
                batch = []
        if batch:
            self._save_plans(batch)

    def _response_plans(self):
        """Each answering unit's response plan for each inspection: signed off, except that a
        half of those for inspections published in the last 90 days are still a draft or
        awaiting sign-off, as in a live service. Their actions are drafts, which no figure
        counts (`Action.objects.live()`)."""
        rng, today = self.rng, self.spec.today
        plans = {}
        for context in self.contexts:
            recommendation = context.recommendation
            key = (recommendation.inspection_id, recommendation.addressed_to_id)
            if key in plans:
                continue
            state = PlanState.APPROVED
            if (today - context.published_on).days < 90:
                state = rng.choices([PlanState.DRAFT, PlanState.SUBMITTED, PlanState.APPROVED], weights=[1, 1, 2])[0]
            plan = ResponsePlan(inspection_id=key[0], unit_id=key[1], state=state)
            if state != PlanState.DRAFT:
                submitted = min(context.published_on + timedelta(days=rng.randint(20, 45)), today)
                plan.submitted_at, plan.submitted_by = self.moment(submitted), context.creator
                if state == PlanState.APPROVED:
                    approved = min(submitted + timedelta(days=rng.randint(3, 14)), today)
                    plan.approved_at, plan.approved_by = self.moment(approved), context.verifier
            plans[key] = plan
        self._save(ResponsePlan, list(plans.values()), "response plans")

    def _save_plans(self, plans):
        self._save(Action, [plan.action for plan in plans], "actions")
        self._save(ProgressUpdate, [u for plan in plans for u in plan.updates], "progress updates")
        self._save(Evidence, [e for plan in plans for e in plan.evidence], "evidence")
        self._save(DueDateRevision, [r for plan in plans for r in plan.revisions], "due date revisions")
        if self.reminders is not None:
            digests, notifications = self.reminders.rows_for([plan.action for plan in plans])
            if digests:
                self._save(type(digests[0]), digests, "reminder emails")
            if notifications:
                self._save(type(notifications[0]), notifications, "reminders sent")
