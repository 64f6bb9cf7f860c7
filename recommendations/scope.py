"""Who may see and change what: the one place where access rules live.

Every view and download asks these functions; nothing else decides scope.

- A PDU leader sees their own PDU's recommendations and actions, and (read-only) the
  recommendations addressed to their region or to HMPPS that came from an inspection
  of their PDU. They edit the actions of their own PDU.
- A regional director sees every unit in their region (its PDUs, and the legacy bodies
  the region took over) and edits every action there, except those addressed to HMPPS.
- A national (HMPPS) viewer sees everything, read-only; with `can_edit_national_actions`
  (the national team) they own and update the actions on recommendations addressed to
  HMPPS (and NOMS), and may verify any action.
- Whoever marked an action complete, and its owner, never verify it.
- An administrator sees and edits everything.

Response plans (recommendations.models.plans): the unit a recommendation is addressed to
drafts its response and actions; the unit above signs the plan off. A PDU's leader drafts
the PDU's plan and its regional director approves it; a regional director drafts the
region's plan and HMPPS approves it; HMPPS (a national viewer who may edit national
actions) drafts and approves its own.

Challenges: a regional director may challenge any action or recommendation in the region
(those addressed to HMPPS aside); a national viewer those addressed to HMPPS. The owner
of an action, or the unit's drafter, replies.
"""

from django.db.models import OuterRef, Q, Subquery
from django.utils.functional import cached_property

from .models import (
    Action,
    ActionStatus,
    Evidence,
    Inspection,
    OrgUnit,
    PlanState,
    Recommendation,
    ResponsePlan,
    Role,
    UnitKind,
    User,
)
from .models.units import NATIONAL_KINDS


def units_in_region(region):
    """The units whose figures make up a region's: the same membership rule as its director's scope."""
    return OrgUnit.objects.in_region(region)


def units_seen_in(user, region=None):
    """The units of `region` the user sees, or every unit they see for None: whose open challenges
    a dashboard counts and lists."""
    seen = visible_units(user)
    return seen if region is None else units_in_region(region).filter(pk__in=seen)


def sees_everything(user) -> bool:
    return user.is_authenticated and user.sees_everything


# A person has access once they have a role, and a unit where the role works in one. People
# created at their first sign-in through HMPPS Auth or Entra ID have neither until an
# administrator gives them (signin: "You do not have access yet").
USER_HAS_ACCESS = (
    Q(is_superuser=True)
    | Q(role__in=[Role.NATIONAL_VIEWER, Role.ADMINISTRATOR])
    | Q(role__in=[Role.PDU_LEADER, Role.REGIONAL_DIRECTOR], unit__isnull=False)
)


def has_access(user) -> bool:
    """The Python twin of USER_HAS_ACCESS, for the signed-in user already in memory."""
    if not user.is_authenticated:
        return False
    return sees_everything(user) or (
        user.role in (Role.PDU_LEADER, Role.REGIONAL_DIRECTOR) and user.unit_id is not None
    )


def _single_visible_unit(user) -> int | None:
    """The one unit a PDU leader sees; None for everyone else (no unit, or several)."""
    if user.is_authenticated and user.role == Role.PDU_LEADER and not sees_everything(user):
        return user.unit_id
    return None


def visible_units(user):
    """Units whose recommendations, actions and dashboards the user may see."""
    return OrgUnit.objects.visible_to(user)


def _single_editable_unit(user) -> int | None:
    """The one unit an active PDU leader edits; None for everyone else (no unit, none or several)."""
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return None
    return user.unit_id if user.role == Role.PDU_LEADER else None


def editable_units(user):
    """Units whose actions the user may change (log progress, add evidence, complete)."""
    return OrgUnit.objects.editable_by(user)


class Scope:
    """What one user may see, as querysets built once: a page that asks for the visible
    recommendations, actions and inspections several times (the plan, its filters' choices)
    builds the visible units' subquery once and shares it, instead of rebuilding it for each.

    `inspections_visible_to`, `recommendations_visible_to` and `actions_visible_to` give the
    same querysets one at a time.
    """

    def __init__(self, user, *, read_units: bool = False):
        self.user = user
        self.everything = sees_everything(user)
        self.read_units = read_units

    @cached_property
    def units(self):
        return visible_units(self.user)

    @cached_property
    def unit_pks(self):
        """The pks of `units`, to be tested inside another query.

        A PDU leader's single unit is given as a value: the query then tests `unit_id IN (…)`
        rather than carrying a subquery that Django compiles and PostgreSQL plans on every page.
        With `read_units`, for a page that builds many queries on one scope (the plan: its
        count, page, unanswered list and filter lists), a director's units are read once
        (`_units_read`) and given as values too.
        """
        unit_id = _single_visible_unit(self.user)
        if unit_id is not None:
            return [unit_id]
        return [pk for pk, *_ in self._units_read] if self.read_units else self.units.values("pk")

    @cached_property
    def _units_read(self) -> list[tuple]:
        """Each visible unit's pk with its region's slug and name (None outside every region), in one query."""
        region = OrgUnit.objects.filter(pk=OuterRef("region_pk"))
        units = self.units.with_region_pk().annotate(
            region_slug=Subquery(region.values("slug")), region_name=Subquery(region.values("name"))
        )
        return list(units.values_list("pk", "region_slug", "region_name"))

    def regions(self) -> list[tuple[str, str]] | None:
        """The (slug, name) of the visible units' regions, by name, when the units were read with
        them (`read_units`); None when the database is to be asked (filters.units.region_choices)."""
        if not self.read_units or self.everything or _single_visible_unit(self.user) is not None:
            return None
        return sorted({(slug, name) for _, slug, name in self._units_read if slug is not None}, key=lambda r: r[1])

    @cached_property
    def inspections(self):
        if self.everything:
            return Inspection.objects.all()
        units = self.unit_pks
        return Inspection.objects.filter(Q(unit__in=units) | Q(recommendations__addressees__in=units)).distinct()

    @cached_property
    def recommendations(self):
        """Recommendations addressed to a visible unit (alone or jointly), or arising from an inspection of one."""
        if self.everything:
            return Recommendation.objects.all()
        units = self.unit_pks
        jointly = Recommendation.addressees.through.objects.filter(orgunit__in=units).values("recommendation_id")
        return Recommendation.objects.filter(
            Q(addressed_to__among=units)
            | Q(pk__among=jointly)
            | Q(inspection__among=Inspection.objects.filter(unit__in=units).values("pk"))
        )

    @cached_property
    def actions(self):
        """Actions of a visible unit, or on a recommendation the user can see (see above).

        Written as two memberships (`among`, see recommendations.lookups) rather than joins
        through the recommendation, so that the database reads the actions through their
        indexes instead of testing every action in the country.
        """
        if self.everything:
            return Action.objects.all()
        return Action.objects.filter(
            Q(unit__among=self.unit_pks) | Q(recommendation__among=self.recommendations.values("pk"))
        )


def inspections_visible_to(user):
    return Scope(user).inspections


def recommendations_visible_to(user):
    """Recommendations addressed to a visible unit (alone or jointly), or arising from an inspection of one."""
    return Scope(user).recommendations


def actions_visible_to(user):
    """Actions of a visible unit, or on a recommendation the user can see (see Scope.actions)."""
    return Scope(user).actions


def actions_on_visible_recommendation(recommendation):
    """The actions answering a recommendation already read through `recommendations_visible_to`.

    Every action on a visible recommendation is visible (see above), so no membership test
    is needed: the recommendation page reads its actions by the recommendation alone.
    """
    return Action.objects.filter(recommendation=recommendation)


def evidence_visible_to(user):
    return Evidence.objects.filter(action__in=actions_visible_to(user))


def can_edit_action(user, action) -> bool:
    """May log progress, add evidence and mark the action complete."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    if (unit_id := _single_editable_unit(user)) is not None:
        return action.unit_id == unit_id  # a PDU leader's own unit: no need to ask the database
    return editable_units(user).filter(pk=action.unit_id).exists()


def may_own_actions_of(user, unit) -> bool:
    """May be named owner of an action of `unit`: an active person who may act for that unit.

    That is its PDU leader, its region's director, or for HMPPS the national team: someone
    who can open the action that their reminders and calendar entries point to.
    """
    if user is None or not user.is_active:
        return False
    return editable_units(user).filter(pk=getattr(unit, "pk", unit)).exists()


def can_manage_plan(user, recommendation) -> bool:
    """May create and assign actions, revise due dates and record the response."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    if user.role == Role.REGIONAL_DIRECTOR:
        addressed_to_region = editable_units(user).filter(
            Q(pk=recommendation.addressed_to_id) | Q(addressed_recommendations=recommendation)
        )
        return addressed_to_region.exists() or (
            recommendation.addressed_to.kind not in NATIONAL_KINDS
            and editable_units(user).filter(pk=recommendation.inspection.unit_id).exists()
        )
    if user.role == Role.NATIONAL_VIEWER and user.can_edit_national_actions:
        return recommendation.addressed_to.kind in NATIONAL_KINDS
    return False


def _is_national_team(user) -> bool:
    return user.role == Role.NATIONAL_VIEWER and user.can_edit_national_actions


def _verifying_region_units(action):
    """The units whose region's director verifies the action: its own unit's, or for an HMPPS
    action, the inspected unit's."""
    if action.unit.kind in NATIONAL_KINDS:
        return [action.unit_id, action.recommendation.inspection.unit_id]
    return [action.unit_id]


def can_verify(user, action) -> bool:
    """May verify (or return) the action: a regional director of its region, or the national team.

    Never whoever marked it complete, nor its owner: verification is by someone else.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.pk in (action.owner_id, action.completed_by_id):
        return False
    if _is_national_team(user):
        return True
    if user.role == Role.REGIONAL_DIRECTOR and user.unit_id:
        return units_in_region(user.unit_id).filter(pk__in=_verifying_region_units(action)).exists()
    return False


def verifiers_of(action):
    """The people who may verify the action: the queryset form of can_verify, for naming them."""
    regions = [unit.region for unit in OrgUnit.objects.filter(pk__in=_verifying_region_units(action))]
    directors = Q(role=Role.REGIONAL_DIRECTOR, unit__in=[region.pk for region in regions if region])
    national_team = Q(role=Role.NATIONAL_VIEWER, can_edit_national_actions=True)
    people = User.objects.filter(directors | national_team, is_active=True)
    return people.exclude(pk__in=[pk for pk in (action.owner_id, action.completed_by_id) if pk])


def actions_awaiting_verification_by(user):
    """Completed actions this user may verify: the queryset form of can_verify."""
    if not user.is_authenticated or not user.is_active:
        return Action.objects.none()
    awaiting = Action.objects.filter(status=ActionStatus.COMPLETED).exclude(owner=user).exclude(completed_by=user)
    if _is_national_team(user):
        return awaiting
    if user.role != Role.REGIONAL_DIRECTOR or not user.unit_id:
        return Action.objects.none()
    return awaiting.answering_for(units_in_region(user.unit_id))


def can_record_measure_reading(user, unit) -> bool:
    """May record a new reading of a measure of impact for `unit`: its PDU leader or regional director."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    if user.role not in (Role.PDU_LEADER, Role.REGIONAL_DIRECTOR):
        return False
    return editable_units(user).filter(pk=unit.pk).exists()


def can_view_history(user, obj, *, known_visible: bool = False) -> bool:
    """May read the change history of an action or recommendation the user can already see.

    The history shows who changed what, so it is for those who oversee the plan:
    national viewers and administrators for everything, regional directors for their
    region, and PDU leaders for their own unit's actions and recommendations only.

    `known_visible`: the object was just read through the user's scope, so asking the
    database again whether they may see it is not needed.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if sees_everything(user):
        return True
    if isinstance(obj, Action):
        visible = known_visible or actions_visible_to(user).filter(pk=obj.pk).exists()
        own_unit_id = obj.unit_id
    elif isinstance(obj, Recommendation):
        visible = known_visible or recommendations_visible_to(user).filter(pk=obj.pk).exists()
        own_unit_id = obj.addressed_to_id
        if user.unit_id is not None and own_unit_id != user.unit_id and obj.addressees.filter(pk=user.unit_id).exists():
            own_unit_id = user.unit_id  # addressed to the user's unit jointly
    else:
        return False
    if user.role == Role.REGIONAL_DIRECTOR:
        return visible
    if user.role == Role.PDU_LEADER:
        return visible and user.unit_id is not None and own_unit_id == user.unit_id
    return False


# Response plans and challenges ------------------------------------------------------------


def responsible_unit(unit: OrgUnit) -> OrgUnit:
    """The unit that answers for `unit`'s recommendations: its successor once it was dissolved."""
    return unit.successor if unit.is_legacy and unit.successor_id else unit


def _is_national_editor(user) -> bool:
    return user.role == Role.NATIONAL_VIEWER and user.can_edit_national_actions


def drafts_for_unit(user, unit: OrgUnit) -> bool:
    """Drafts `unit`'s responses and actions: its PDU leader, its regional director, or HMPPS for itself."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    if unit.kind == UnitKind.PDU:
        return user.role == Role.PDU_LEADER and user.unit_id == unit.pk
    if unit.kind == UnitKind.REGION:
        return user.role == Role.REGIONAL_DIRECTOR and user.unit_id == unit.pk
    if unit.kind in NATIONAL_KINDS:
        return _is_national_editor(user)
    return False


def can_see_plan(user, plan: ResponsePlan) -> bool:
    return visible_units(user).filter(pk=plan.unit_id).exists()


def can_draft_plan(user, plan: ResponsePlan) -> bool:
    """May change the plan's draft responses and actions and submit it: while it is a draft or returned."""
    return plan.is_editable and drafts_for_unit(user, plan.unit)


def can_sign_off_plan(user, plan: ResponsePlan) -> bool:
    """May approve or return the plan: it is submitted, and the user is of the unit above the one that drafted it."""
    if not user.is_authenticated or not user.is_active or plan.state != PlanState.SUBMITTED:
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    unit = plan.unit
    if unit.kind == UnitKind.PDU:
        return user.role == Role.REGIONAL_DIRECTOR and user.unit_id is not None and unit.parent_id == user.unit_id
    if unit.kind in (UnitKind.REGION, *NATIONAL_KINDS):
        return _is_national_editor(user)
    return False


def plans_awaiting_sign_off_by(user):
    """Submitted plans this user may approve or return: the queryset form of can_sign_off_plan."""
    submitted = ResponsePlan.objects.filter(state=PlanState.SUBMITTED)
    if not user.is_authenticated or not user.is_active:
        return submitted.none()
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return submitted
    if user.role == Role.REGIONAL_DIRECTOR and user.unit_id:
        return submitted.filter(unit__kind=UnitKind.PDU, unit__parent_id=user.unit_id)
    if _is_national_editor(user):
        return submitted.filter(unit__kind__in=[UnitKind.REGION, *NATIONAL_KINDS])
    return submitted.none()


def _answering_units(obj) -> list[OrgUnit]:
    """Who answers for an action (its unit) or a recommendation (each body it is addressed to,
    jointly or alone, or the unit that took a dissolved one's work over)."""
    if isinstance(obj, Action):
        return [obj.unit]
    return [responsible_unit(unit) for unit in obj.addressees_in_order()]


def can_challenge(user, obj) -> bool:
    """May challenge an action or recommendation the user can already see: the national viewers
    if it is addressed to HMPPS, a regional director if it is addressed to a unit of the region."""
    if not user.is_authenticated or not user.is_active:
        return False
    units = _answering_units(obj)
    if user.role == Role.NATIONAL_VIEWER:
        return any(unit.kind in NATIONAL_KINDS for unit in units)
    if user.role == Role.REGIONAL_DIRECTOR and user.unit_id:
        local = [unit.pk for unit in units if unit.kind not in NATIONAL_KINDS]
        return bool(local) and units_in_region(user.unit).filter(pk__in=local).exists()
    return False


def can_reply(user, obj) -> bool:
    """May answer a challenge: the action's owner, or whoever drafts for a unit addressed
    (the Python form of challenges_answerable_by)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if isinstance(obj, Action) and obj.owner_id == user.pk:
        return True
    return any(drafts_for_unit(user, unit) for unit in _answering_units(obj))


def challenges_answerable_by(user):
    """Challenges (open or not) the user may reply to: the queryset form of can_reply."""
    from .models import Comment

    challenges = Comment.objects.challenges()
    if not user.is_authenticated or not user.is_active:
        return challenges.none()
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return challenges
    owns = Q(action__owner=user)
    if user.role == Role.PDU_LEADER and user.unit_id:
        unit = Q(pk=user.unit_id, kind=UnitKind.PDU)
    elif user.role == Role.REGIONAL_DIRECTOR and user.unit_id:
        unit = Q(pk=user.unit_id, kind=UnitKind.REGION)
    elif _is_national_editor(user):
        unit = Q(kind__in=NATIONAL_KINDS)
    else:
        return challenges.filter(owns)
    units = OrgUnit.objects.filter(unit).values("pk")
    answered_units = OrgUnit.objects.filter(Q(pk__in=units) | Q(successor__in=units)).values("pk")
    answered = Recommendation.objects.addressed_to_any(answered_units)
    return challenges.filter(owns | Q(action__unit__in=units) | Q(recommendation__in=answered))


def can_propose_due_date(user, action) -> bool:
    """May propose a new due date: the action's editors who may not change it themselves (its PDU leader)."""
    return can_edit_action(user, action) and not can_manage_plan(user, action.recommendation)


def can_decide_due_date(user, action) -> bool:
    """May approve or reject a proposed due date: whoever may change the date directly."""
    return can_manage_plan(user, action.recommendation)
