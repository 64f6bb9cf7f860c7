"""`field__among=subquery`: membership of a subquery's results, written so that an index can serve it.

`field__in=subquery` becomes `field IN (SELECT ...)`; when two such conditions are joined
by OR, PostgreSQL can only test them row by row, so it reads the whole table. Written as
`field = ANY(ARRAY(SELECT ...))`, the subquery runs once and each condition becomes an
index scan (a BitmapOr of the two). Other databases get the ordinary IN.
"""

from django.db.models import Field, ForeignObject
from django.db.models.lookups import In


class Among(In):
    lookup_name = "among"

    def as_postgresql(self, compiler, connection):
        if self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)  # a list of values: IN is already indexable
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # The subquery compiles wrapped in parentheses: "(SELECT ...)".
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


# Relations keep their own lookups, so both kinds of field register it.
Field.register_lookup(Among)
ForeignObject.register_lookup(Among)
