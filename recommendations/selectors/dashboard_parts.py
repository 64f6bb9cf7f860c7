"""Each inspection's part of the dashboards' figures, cached under the inspection's figures version.

Every figure a dashboard shows is a sum over inspections: an action belongs to one through
its recommendation, and whether a recommendation has an action or is ready depends on its
own actions alone. So the dashboards add up one part for each inspection they show:

- its live actions counted by unit, each as ACTION_FIGURES (by status, overdue and derived RAG);
- its recommendations, each with its addressees, whether it has a live action, and whether it
  is ready for the next inspection;
- its actions (drafts too, as the burn-up counts them) counted by unit and by the months they
  were created, completed and verified (month_counts), for the dashboards' progress charts.

A part is cached under (the inspection, its figures version, today, PART_FORMAT): the
version is raised in the same transaction as every write that can change the part
(recommendations.models.figures), and today decides what is overdue and the derived RAG.
A dashboard reads the versions first and the parts after, so a cached part is never older
than its key. Parts say nothing of units' regions or of who may see what: the dashboards
work that out from the units on every request, so a unit's new region or successor shows
at once. The cache is Redis when there is one (shared by every worker, and failing soft:
with Redis down, every part is worked out from the queries), otherwise each process's own.
"""

from datetime import date

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Sum

from ..models import RAG, Action, ActionStatus, Recommendation
from ..models.actions import overdue
from ..models.inspections import recommendation_done
from .month_counts import as_rows, month_counts

CACHE = "figures"
# Raised whenever what a part holds, or how, changes: parts cached before are then not read.
PART_FORMAT = 4
# The order of an action count's figures in a part.
ACTION_FIGURES = (*ActionStatus.values, "overdue", *RAG.values)


def with_figures_version(inspections):
    """The inspections with `figures_version`: the sum and count of their version rows' numbers."""
    return inspections.annotate(
        figures_sum=Sum("figures_versions__number", default=0), figures_rows=Count("figures_versions")
    )


def _key_prefix(today: date) -> str:
    # The database's name: two databases (tests, a benchmark) may share one Redis. The
    # derived RAG's settings and the time zone decide the figures as much as the day does.
    rules = f"{settings.RAG_STALE_AFTER_DAYS}.{settings.RAG_AMBER_WITHIN_DAYS}.{settings.TIME_ZONE}"
    return f"{connection.settings_dict['NAME']}:{PART_FORMAT}:{rules}:{today.isoformat()}"


def inspection_parts(versions: dict, *, today: date) -> dict:
    """{inspection pk: its part} for {inspection pk: (figures_sum, figures_rows)} read just before.

    The cached parts in one read; those missing worked out in three queries however many they
    are, and cached.
    """
    prefix = _key_prefix(today)
    keys = {pk: f"{prefix}:{pk}:{total}.{rows}" for pk, (total, rows) in versions.items()}
    cache = caches[CACHE]
    found = cache.get_many(list(keys.values())) if keys else {}
    parts = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in parts]
    if missing:
        worked_out = work_out_parts(missing, today=today)
        cache.set_many({keys[pk]: part for pk, part in worked_out.items()})
        parts |= worked_out
    return parts


def work_out_parts(inspection_pks, *, today: date) -> dict:
    """{inspection pk: (action counts, recommendations, month counts)} from the database, for `inspection_pks`."""
    actions: dict = {pk: {} for pk in inspection_pks}
    live = Action.objects.live().filter(recommendation__inspection__in=inspection_pks)
    for (inspection_pk, unit_pk), counts in actions_grouped(
        live, "recommendation__inspection_id", "unit_id", today=today
    ):
        vector = actions[inspection_pk].setdefault(unit_pk, [0] * len(ACTION_FIGURES))
        for name, n in counts.items():
            vector[ACTION_FIGURES.index(name)] += n
    recommendations: dict = {pk: {} for pk in inspection_pks}
    flags = recommendation_flags()
    read = Recommendation.objects.filter(inspection__in=inspection_pks).order_by("pk").annotate(**flags)
    for inspection_pk, pk, addressee, has_action, ready in read.values_list(
        "inspection_id", "pk", "addressees", *flags
    ):
        row = recommendations[inspection_pk].setdefault(pk, [pk, [], has_action, ready])
        if addressee is not None:
            row[1].append(addressee)
    months: dict = {pk: {} for pk in inspection_pks}
    # month_counts keeps to the live actions itself: given `live`, it would test each action twice.
    of_inspections = Action.objects.filter(recommendation__inspection__in=inspection_pks)
    for (inspection_pk, unit_pk), counts in month_counts(
        of_inspections, "recommendation__inspection_id", "unit_id"
    ).items():
        months[inspection_pk][unit_pk] = as_rows(counts)
    return {
        pk: (
            tuple((unit_pk, tuple(vector)) for unit_pk, vector in sorted(actions[pk].items())),
            tuple(
                (rec, tuple(sorted(addressees)), has, ready)
                for rec, addressees, has, ready in recommendations[pk].values()
            ),
            tuple(sorted(months[pk].items())),
        )
        for pk in inspection_pks
    }


def add_vector(vector: list, counts) -> None:
    """Add a part's action counts to a vector of ACTION_FIGURES."""
    for index, n in enumerate(counts):
        vector[index] += n


def actions_grouped(actions, *keys: str, today: date):
    """(values of `keys`, counts) for each status, overdue or not and derived RAG within them.

    The counts give the row's actions under its status, its derived RAG and, when they are
    overdue, `overdue`: grouping on them works each out once for each action, where counting
    each figure with a filter of its own would test every action seven times over.
    """
    rows = (
        actions.order_by()
        .with_derived_rag(today=today)
        .annotate(is_overdue=ExpressionWrapper(overdue(today=today), output_field=BooleanField()))
        .values_list(*keys, "status", "is_overdue", "derived_rag")
        .annotate(rows=Count("pk"))
    )
    rags, width = set(RAG.values), len(keys)
    for row in rows:
        status, is_overdue, rag, n = row[width : width + 4]
        counts = {status: n}
        if is_overdue:
            counts["overdue"] = n
        if rag in rags:
            counts[rag] = n
        yield row[:width], counts


def recommendation_flags() -> dict:
    return {
        # Only live actions count: a recommendation whose actions are all drafts has no action yet.
        "has_action": Exists(Action.objects.live().filter(recommendation=OuterRef("pk"))),
        "ready": recommendation_done(),
    }
