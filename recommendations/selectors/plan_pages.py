"""A page of the action plan, read in two steps so that its cost does not grow with the plan.

The plan's rows (recommendations.selectors.action_plan) carry many computed columns:
names, texts, the evidence count, the derived RAG. Computing them for every row of a
national plan to show fifty would cost far more than the fifty. So the rows are
counted, sorted and sliced on the few columns that the filters and the sort need, and
every column is computed only for the rows of the slice.

In the plan's own order (inspection, recommendation, due date) the slice is found from
the number of rows of each recommendation, in one grouped query, so that not even the
sort columns of every row are sorted: only the recommendations holding the page are
read in full.
"""

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value

from ..models import Action, Recommendation

# The columns that order recommendations in the plan's own order, with the recommendation.
_RECOMMENDATION_ORDER = ("inspection_published", "inspection_pk", "rec_number", "rec_pk")


class PlanRows:
    """The plan's rows for a paginated table.

    Quacks like the queryset that django-tables2 and Django's paginator expect: count(),
    order_by(), slicing and iteration. `rows_with(select)` gives both kinds of row
    (actions, and recommendations with no action yet), scoped and filtered, with the
    columns in `select`.
    """

    model = Action  # for the table's verbose name

    def __init__(self, rows_with, *, columns, ordering, plan_order, whole_plan=False):
        self._rows_with = rows_with
        # Every action of the plan, unfiltered (a national view): counted differently.
        self._whole_plan = whole_plan
        self._columns = tuple(columns)
        self.ordering = tuple(ordering)
        self._plan_order = tuple(plan_order)
        self._count = None
        self._per_recommendation = None

    def order_by(self, *ordering):
        return PlanRows(
            self._rows_with,
            columns=self._columns,
            ordering=ordering,
            plan_order=self._plan_order,
            whole_plan=self._whole_plan,
        )

    def _union(self, select, *, action_pks=None, rec_pks=None):
        action_rows, recommendation_rows = self._rows_with([c for c in self._columns if c in select])
        if action_pks is not None:
            action_rows = action_rows.filter(action_pk__in=action_pks)
        if rec_pks is not None:
            recommendation_rows = recommendation_rows.filter(rec_pk__in=rec_pks)
        return action_rows.union(recommendation_rows, all=True)

    def all_columns(self, columns=None) -> QuerySet:
        """Every row, in order, with `columns` (default: all of them), for downloads.

        A download that names the columns it writes spares the database the others:
        the sort ranks, for one, are worked out for every row of the plan.
        """
        wanted = set(self._columns if columns is None else columns)
        wanted |= {field.lstrip("-") for field in self.ordering}
        return self._union(wanted).order_by(*self.ordering)

    def __iter__(self):
        return iter(self.all_columns())

    def iterator(self, chunk_size=500, *, columns=None):
        return self.all_columns(columns).iterator(chunk_size=chunk_size)

    @property
    def _in_plan_order(self):
        return self.ordering == self._plan_order

    def count(self) -> int:
        if self._count is None:
            if self._in_plan_order:
                self._count = sum(rows for _, rows in self._rows_per_recommendation())
            else:
                self._count = self._union({"action_pk", "rec_pk"}).count()
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, step = index.indices(self.count())
        if step != 1:
            raise ValueError("The plan is read in contiguous slices only.")
        if start >= stop:
            return []
        if self._in_plan_order:
            return self._slice_in_plan_order(start, stop)
        return self._slice_by_sort_columns(start, stop)

    def _rows_per_recommendation(self) -> list[tuple[int, int]]:
        """(recommendation, number of rows) in the plan's order: one query."""
        if self._per_recommendation is None:
            prefix = self._plan_order[:3]
            grouped = self._counted_by_index() if self._whole_plan else self._counted_by_grouping()
            self._per_recommendation = [
                (row["rec_pk"], row["rows"]) for row in grouped.order_by(*prefix, "rec_pk") if row["rows"]
            ]
        return self._per_recommendation

    def _counted_by_grouping(self):
        """A part of the plan (a region's, a filtered one): its rows, found through the
        indexes its scope and filters use, grouped by recommendation."""
        action_rows, recommendation_rows = self._rows_with(_RECOMMENDATION_ORDER)
        return action_rows.annotate(rows=Count("pk")).union(
            recommendation_rows.annotate(rows=Value(1, output_field=IntegerField())), all=True
        )

    def _counted_by_index(self):
        """The whole plan: each recommendation's actions counted on the index of actions
        by recommendation, without reading the actions themselves. Grouping instead would
        read every action and join it to its recommendation and inspection."""
        action_rows, recommendation_rows = self._rows_with(_RECOMMENDATION_ORDER)
        counted = action_rows.filter(rec_pk=OuterRef("pk")).values("rec_pk").annotate(n=Count("*")).values("n")
        answered = (
            Recommendation.objects.order_by()
            .annotate(
                inspection_published=F("inspection__published_on"),
                inspection_pk=F("inspection_id"),
                rec_number=F("number"),
                rec_pk=F("pk"),
                rows=Subquery(counted, output_field=IntegerField()),
            )
            .values(*_RECOMMENDATION_ORDER, "rows")
        )
        unanswered = recommendation_rows.annotate(rows=Value(1, output_field=IntegerField()))
        return answered.union(unanswered.values(*_RECOMMENDATION_ORDER, "rows"), all=True)

    def _slice_in_plan_order(self, start, stop):
        chosen, skip, position = [], 0, 0
        for rec_pk, rows in self._rows_per_recommendation():
            if position + rows > start:
                if not chosen:
                    skip = start - position
                chosen.append(rec_pk)
            position += rows
            if position >= stop:
                break
        rows = self._restrict_to_recommendations(chosen).order_by(*self._plan_order)
        return list(rows[skip : skip + (stop - start)])

    def _restrict_to_recommendations(self, rec_pks):
        action_rows, recommendation_rows = self._rows_with(self._columns)
        return action_rows.filter(rec_pk__in=rec_pks).union(recommendation_rows.filter(rec_pk__in=rec_pks), all=True)

    def _slice_by_sort_columns(self, start, stop):
        needed = {"action_pk", "rec_pk"} | {field.lstrip("-") for field in self.ordering}
        keys = [(row["action_pk"], row["rec_pk"]) for row in self._union(needed).order_by(*self.ordering)[start:stop]]
        action_pks = [action for action, _ in keys if action is not None]
        rec_pks = [rec for action, rec in keys if action is None]
        found = {
            (row["action_pk"], row["rec_pk"]): row
            for row in self._union(self._columns, action_pks=action_pks, rec_pks=rec_pks)
        }
        return [found[key] for key in keys if key in found]
